from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotator.accounts.forms import ThrottledAuthenticationForm

from . import views, workspace

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(
        template_name="frontend/login.html", redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm
    ), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("p/<slug:slug>/", views.project_detail, name="project"),
    path("", include("frontend.urls_agreement")),
    path("", include("frontend.urls_gold")),
    path("", include("frontend.urls_exports")),
    path("", include("frontend.urls_manage")),
    path("", include("frontend.urls_accounts")),
    path("p/<slug:slug>/annotate/", workspace.workspace, name="workspace"),
    path("workspace.js", workspace.workspace_js, name="workspace-js"),
]
