/**
 * gRPC channel options for Google's clients (Firestore, Pub/Sub) and our own gRPC clients.
 * grpc-js backs off up to 120 s between reconnect attempts by default: after a backend restart (or an
 * emulator restart in tests) a client could stay disconnected for two minutes. Cap it at a few seconds.
 * Google's clients forward top-level `grpc.*` settings to their channels.
 */
export const RECONNECT_CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 5_000,
} as const;
