/** An error as a plain, serializable object (JSON.stringify drops Error's own non-enumerable fields). */
export function serializeError(error: Error): { name: string; message: string; stack?: string } {
  return { name: error.name, message: error.message, stack: error.stack };
}

function replaceSpecialValues(_key: string, value: unknown): unknown {
  if (value instanceof Error) return serializeError(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * JSON.stringify that never throws: a log call must not take the request down with it.
 * Circular references become "[Circular]" (second pass only, the first one is the fast path).
 */
export function safeJsonStringify(value: unknown): string {
  try {
    return JSON.stringify(value, replaceSpecialValues);
  } catch {
    try {
      return JSON.stringify(value, circularReplacer());
    } catch {
      return JSON.stringify({ message: 'unserializable log entry' });
    }
  }
}

function circularReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  // Ancestors of the value being serialized: a repeated but non-circular reference is still printed.
  const ancestors: unknown[] = [];
  return function (this: unknown, key: string, value: unknown): unknown {
    const replaced = replaceSpecialValues(key, value);
    if (typeof replaced !== 'object' || replaced === null) return replaced;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(replaced)) return '[Circular]';
    ancestors.push(replaced);
    return replaced;
  };
}
