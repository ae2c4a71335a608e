/**
 * The readable preview of a label schema: entity types (colour swatch, name, hotkey),
 * stance targets and labels, event types with their roles. Text only, never HTML.
 *
 * @module manage/schema-preview
 */

import { clear, el } from './dom.js';

/**
 * @param {Element} container
 * @param {ReturnType<import('./pure.js').previewModel>} model
 */
export function renderPreview(container, model) {
  clear(container);
  const entities = el('ul', { className: 'preview-entities', attrs: { 'aria-label': 'Entity types' } });
  for (const entity of model.entities) {
    const swatch = el('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
    if (entity.color) swatch.style.background = entity.color;
    entities.append(el('li', {}, [
      swatch,
      el('span', { className: 'preview-name', text: entity.name }),
      entity.hotkey ? el('kbd', { text: entity.hotkey, attrs: { title: `hotkey ${entity.hotkey}` } }) : el('span', { className: 'muted', text: 'no hotkey' }),
    ]));
  }
  container.append(el('h4', { text: `Entity types (${model.entities.length})` }));
  container.append(model.entities.length ? entities : el('p', { className: 'muted', text: 'None.' }));

  container.append(el('h4', { text: 'Stance' }));
  if (model.targets.length) {
    container.append(el('p', {}, [el('span', { className: 'muted', text: 'Targets: ' })]));
    container.append(el('ul', { className: 'preview-targets' }, model.targets.map((t) => el('li', { text: t }))));
    container.append(el('p', {}, [
      el('span', { className: 'muted', text: 'Labels: ' }),
      ...model.labels.map((label, i) => el('span', { className: 'chip', text: `${i + 1} ${label}`, attrs: { title: `key ${i + 1}` } })),
    ]));
  } else {
    container.append(el('p', { className: 'muted', text: 'No stance targets.' }));
  }

  container.append(el('h4', { text: `Event types (${model.events.length})` }));
  if (model.events.length) {
    container.append(el('ul', { className: 'preview-events' }, model.events.map((event) => el('li', {}, [
      el('span', { className: 'preview-name', text: event.name }),
      el('span', { className: 'muted', text: event.roles.length ? ` — ${event.roles.join(', ')}` : ' — no roles' }),
    ]))));
  } else {
    container.append(el('p', { className: 'muted', text: 'None.' }));
  }
}
