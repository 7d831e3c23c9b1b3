import { Metadata } from '@grpc/grpc-js';
import { GrpcMetadataKeys } from '@convene/contracts';
import type { DomainError, DomainErrorDetails } from './domain-error';
import { type ErrorCode, isErrorCode } from './error-codes';

/** The trailers a service attaches to a failed call so the gateway can rebuild the DomainError. */
export function encodeErrorMetadata(error: DomainError): Metadata {
  const metadata = new Metadata();
  metadata.set(GrpcMetadataKeys.errorCode, error.code);
  // A "-bin" key carries bytes: JSON details survive any characters gRPC's ASCII headers refuse.
  metadata.set(GrpcMetadataKeys.errorDetails, Buffer.from(JSON.stringify(error.details), 'utf8'));
  return metadata;
}

export interface DecodedErrorMetadata {
  code: ErrorCode;
  details: DomainErrorDetails;
}

/** The domain error code and details a Convene service put on the call, if any and if known. */
export function decodeErrorMetadata(metadata: unknown): DecodedErrorMetadata | undefined {
  if (!(metadata instanceof Metadata)) return undefined;
  const [code] = metadata.get(GrpcMetadataKeys.errorCode);
  const codeText = Buffer.isBuffer(code) ? code.toString('utf8') : code;
  if (!isErrorCode(codeText)) return undefined;
  return { code: codeText, details: parseDetails(metadata.get(GrpcMetadataKeys.errorDetails)[0]) };
}

function parseDetails(raw: unknown): DomainErrorDetails {
  if (raw === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as DomainErrorDetails)
      : {};
  } catch {
    // Unreadable details must not turn a clear error code into a 500.
    return {};
  }
}
