/**
 * Small guards shared by every engine entry point. Each either returns the value
 * with a narrowed type or throws a ValidationError naming the field, so malformed
 * input never turns into a TypeError deep inside the engine.
 */
import { ValidationError } from './errors.js';

/** Longest id (user, lesson, set, element, exercise type) the engine accepts. */
export const MAX_ID_LENGTH = 10_000;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ValidationError(field, `must be an object, got ${describe(value)}`);
  return value;
}

export function requireString(value: unknown, field: string, maxLength = MAX_ID_LENGTH): string {
  if (typeof value !== 'string') throw new ValidationError(field, `must be a string, got ${describe(value)}`);
  if (value.length === 0) throw new ValidationError(field, 'must not be empty');
  if (value.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  return value;
}

export function optionalString(value: unknown, field: string, maxLength = MAX_ID_LENGTH): string | undefined {
  return value === undefined ? undefined : requireString(value, field, maxLength);
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, `must be true or false, got ${describe(value)}`);
  return value;
}

export function requireInteger(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ValidationError(field, `must be a whole number, got ${describe(value)}`);
  }
  if (value < min || value > max) throw new ValidationError(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function requireNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, `must be a finite number, got ${describe(value)}`);
  }
  if (value < min || value > max) throw new ValidationError(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function requireOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function requireArray(value: unknown, field: string, maxLength = 100_000): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(field, `must be an array, got ${describe(value)}`);
  if (value.length > maxLength) throw new ValidationError(field, `must have at most ${maxLength} entries`);
  return value;
}

export function requireStringArray(value: unknown, field: string): string[] {
  return requireArray(value, field).map((item, i) => requireString(item, `${field}[${i}]`));
}

/** A short, safe description of a bad value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return String(value);
    default:
      return `a ${typeof value}`;
  }
}
