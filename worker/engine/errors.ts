/**
 * The one error type the engine throws on bad input. Anything the engine rejects
 * names the offending field (a dotted path such as `activities[2].correct`) and the
 * reason, so a host developer can fix the call without reading engine code.
 */
export class ValidationError extends Error {
  /** Stable machine-readable code; hosts branch on this, not on the message. */
  readonly code: string = 'invalid-input';
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'ValidationError';
    this.field = field;
    this.reason = reason;
  }
}

/** A catalog that does not validate. The message reads `file: template "id": field: reason`. */
export class CatalogError extends ValidationError {
  override readonly code = 'invalid-catalog';
  readonly file: string;
  readonly templateId: string | undefined;

  constructor(file: string, templateId: string | undefined, field: string, reason: string) {
    super(field, reason);
    this.name = 'CatalogError';
    this.file = file;
    this.templateId = templateId;
    const where = templateId === undefined ? '' : `template "${templateId}": `;
    this.message = `${file}: ${where}${field}: ${reason}`;
  }
}

export function isValidationError(error: unknown): error is ValidationError {
  return error instanceof ValidationError;
}
