from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.accounts.models import ApiToken
from annotator.accounts.services import api_token_revoke
from annotator.accounts.throttle import client_address, signin_check, signin_failed, signin_succeeded
from api.serializers import ErrorSerializer, MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token <key>``)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        address = client_address(request.META)
        verdict = signin_check(address=address, username=username)
        if not verdict.allowed:
            return Response(
                {"detail": verdict.reason, "field": None, "errors": []},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(verdict.retry_after)},
            )
        user = authenticate(request, username=username, password=data.validated_data["password"])
        if user is None:
            signin_failed(address=address, username=username)
            return Response(
                {"detail": "wrong username or password", "field": "password", "errors": []},
                status=status.HTTP_400_BAD_REQUEST,
            )
        signin_succeeded(address=address, username=username)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class TokenRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the caller's token (scripts log out)."""
        if isinstance(request.auth, ApiToken):
            api_token_revoke(user=request.user, token_id=request.auth.pk)
        else:
            Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who the caller is (cheap: no query beyond authentication). Scripts use it to check
    a token; the save benchmark uses it as its no-op baseline."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response({"id": request.user.id, "username": request.user.get_username()})
