/**
 * Tiny DOM helpers. Text always goes in through textContent, never as HTML.
 *
 * @module manage/dom
 */

/**
 * @param {string} tag
 * @param {{text?: unknown, attrs?: Record<string, string>, className?: string}} [options]
 * @param {Node[]} [children]
 * @returns {HTMLElement}
 */
export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  if (options.className) node.className = options.className;
  for (const [key, value] of Object.entries(options.attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

/** @param {Element} node */
export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
}
