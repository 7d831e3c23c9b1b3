import { join } from 'node:path';
import type { Observable } from 'rxjs';
import type { Role } from '../auth/roles';
import { PROTO_DIR, type GrpcServiceDefinition } from './grpc-services';

export const AuthGrpc: GrpcServiceDefinition = {
  package: 'convene.auth.v1',
  service: 'AuthService',
  protoPath: join(PROTO_DIR, 'auth.proto'),
};

export type Empty = Record<string, never>;

export interface UserMessage {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  createdAt: string;
}

export interface SessionMessage {
  user: UserMessage;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface RoleChangeMessage {
  user: UserMessage;
  accessToken: string;
  expiresIn: number;
}

export interface RegisterRequest {
  email: string;
  password: string;
  displayName: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface LogoutRequest {
  refreshToken: string;
}

export interface UpdateMeRequest {
  displayName?: string;
}

export interface GrantRoleRequest {
  userId: string;
  role: Role;
}

export interface SigningKeyInfoMessage {
  kid: string;
  createdAt: string;
  activatesAt: string;
}

export interface JwkMessage {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: string;
  use: string;
}

export interface JwksMessage {
  keys: JwkMessage[];
}

/** Who an account is (no roles, nothing else): what another person may be shown. */
export interface UserSummaryMessage {
  id: string;
  email: string;
  displayName: string;
}

/** Most ids one GetUsers call may name. */
export const GET_USERS_MAX = 50;

export interface GetUsersRequest {
  ids: string[];
}

export interface UserSummariesMessage {
  /** In the order asked; unknown ids are left out. */
  users: UserSummaryMessage[];
}

export interface FindUserByEmailRequest {
  email: string;
}

/** The client side of AuthService as @nestjs/microservices' ClientGrpc exposes it. */
export interface AuthServiceClient {
  register(request: RegisterRequest, metadata?: unknown, options?: unknown): Observable<SessionMessage>;
  login(request: LoginRequest, metadata?: unknown, options?: unknown): Observable<SessionMessage>;
  refresh(request: RefreshRequest, metadata?: unknown, options?: unknown): Observable<SessionMessage>;
  logout(request: LogoutRequest, metadata?: unknown, options?: unknown): Observable<Empty>;
  getMe(request: Empty, metadata?: unknown, options?: unknown): Observable<UserMessage>;
  updateMe(request: UpdateMeRequest, metadata?: unknown, options?: unknown): Observable<UserMessage>;
  deleteMe(request: Empty, metadata?: unknown, options?: unknown): Observable<Empty>;
  becomeOrganizer(request: Empty, metadata?: unknown, options?: unknown): Observable<RoleChangeMessage>;
  grantRole(request: GrantRoleRequest, metadata?: unknown, options?: unknown): Observable<UserMessage>;
  rotateSigningKey(request: Empty, metadata?: unknown, options?: unknown): Observable<SigningKeyInfoMessage>;
  getJwks(request: Empty, metadata?: unknown, options?: unknown): Observable<JwksMessage>;
  getUsers(request: GetUsersRequest, metadata?: unknown, options?: unknown): Observable<UserSummariesMessage>;
  findUserByEmail(
    request: FindUserByEmailRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<UserSummaryMessage>;
}
