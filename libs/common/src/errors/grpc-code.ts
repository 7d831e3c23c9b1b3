/** gRPC status codes, as grpc-js names them (google.rpc.Code). */
export { status as GrpcStatus } from '@grpc/grpc-js';

/** True when `error` carries the given gRPC status code, as Google client (Firestore, Pub/Sub) errors do. */
export function hasGrpcCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
