/**
 * Undo/redo history over immutable annotation states (pure: no DOM, no globals).
 *
 * The history holds references, never copies: states must not be mutated after they
 * are pushed (annotation.js helpers always return new objects).
 *
 * @module undo
 */

/**
 * @typedef {object} PushOptions
 * @property {string} [coalesce]  consecutive pushes with the same key replace the
 *   present instead of adding a step (e.g. 'stance:<target>' while cycling labels)
 */

/** @template S */
export class History {
  /**
   * @param {S} initial
   * @param {{limit?: number, equals?: (a: S, b: S) => boolean}} [options]
   *   limit: most undo steps kept (default 200; the oldest are dropped);
   *   equals: a push equal to the present is ignored (default ===)
   */
  constructor(initial, { limit = 200, equals = (a, b) => a === b } = {}) {
    if (!(limit >= 1)) throw new RangeError('limit must be >= 1');
    this.limit = limit;
    this.equals = equals;
    this.reset(initial);
  }

  /**
   * Forget all steps and start from `state` (e.g. a new sentence was loaded).
   * @param {S} state
   */
  reset(state) {
    /** @type {S[]} */
    this.past = [];
    /** @type {S[]} most recent undone state last */
    this.future = [];
    /** @type {S} */
    this.present = state;
    /** @type {string | undefined} */
    this.lastCoalesce = undefined;
  }

  /**
   * Record a new state. Drops the redo tail.
   * @param {S} state
   * @param {PushOptions} [options]
   * @returns {boolean} false when the state equals the present and nothing changed
   */
  push(state, { coalesce } = {}) {
    if (this.equals(state, this.present)) return false;
    this.future = [];
    if (coalesce !== undefined && coalesce === this.lastCoalesce && this.past.length > 0) {
      this.present = state;
      return true;
    }
    this.past.push(this.present);
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit);
    this.present = state;
    this.lastCoalesce = coalesce;
    return true;
  }

  /** @returns {boolean} */
  get canUndo() {
    return this.past.length > 0;
  }

  /** @returns {boolean} */
  get canRedo() {
    return this.future.length > 0;
  }

  /**
   * Step back. Does nothing when there is nothing to undo.
   * @returns {S} the (new) present
   */
  undo() {
    if (this.past.length > 0) {
      this.future.push(this.present);
      this.present = /** @type {S} */ (this.past.pop());
    }
    this.lastCoalesce = undefined;
    return this.present;
  }

  /**
   * Step forward again. Does nothing when there is nothing to redo.
   * @returns {S} the (new) present
   */
  redo() {
    if (this.future.length > 0) {
      this.past.push(this.present);
      this.present = /** @type {S} */ (this.future.pop());
    }
    this.lastCoalesce = undefined;
    return this.present;
  }
}

/**
 * Convenience factory: `createHistory(state)` is `new History(state)`.
 * @template S
 * @param {S} initial
 * @param {{limit?: number, equals?: (a: S, b: S) => boolean}} [options]
 * @returns {History<S>}
 */
export function createHistory(initial, options) {
  return new History(initial, options);
}
