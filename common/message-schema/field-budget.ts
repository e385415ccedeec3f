import { isValidFieldName } from './types.js';

/** Counts the fields described against `maxFields`, and leaves out names OpenMetadata refuses. */
export class FieldBudget {
  private left: number;
  /** Whether a field was left out (budget spent, or a name OpenMetadata refuses). */
  truncated = false;

  constructor(maxFields: number) {
    this.left = maxFields;
  }

  /** Whether a field of this name is described; spends one unit when it is. */
  take(name: string): boolean {
    if (this.left === 0 || !isValidFieldName(name)) {
      this.truncated = true;
      return false;
    }
    this.left -= 1;
    return true;
  }
}
