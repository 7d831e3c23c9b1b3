// Who is signed in. The refresh token lives in localStorage (so a reload keeps you signed in); the
// short-lived access token only in memory. Refresh tokens rotate on use, so tabs refresh one at a time
// (Web Locks) and each re-reads the stored token first: another tab may have rotated it already.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, data, setAccessTokenSource, type SessionView, type UserView } from '../api/client';
import { ApiProblem } from '../api/problem';

const STORAGE_KEY = 'convene.session';
/** Refresh this long before the access token expires, so a request never leaves with a stale one. */
const EARLY_REFRESH_MS = 30_000;

interface Stored {
  refreshToken: string;
  user: UserView;
}

interface AccessToken {
  token: string;
  expiresAt: number;
  refreshToken: string;
}

function readStored(): Stored | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Stored) : undefined;
  } catch {
    return undefined;
  }
}

function withLock<T>(work: () => Promise<T>): Promise<T> {
  return navigator.locks ? navigator.locks.request('convene.refresh', work) : work();
}

export interface SessionState {
  user: UserView | undefined;
  signIn(email: string, password: string): Promise<void>;
  signUp(displayName: string, email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Gets a new token pair, e.g. after the roles changed (becoming an organizer). */
  renew(): Promise<void>;
  isOrganizer: boolean;
  isAdmin: boolean;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserView | undefined>(() => readStored()?.user);

  const manager = useMemo(() => {
    let access: AccessToken | undefined;
    const adopt = (session: SessionView): void => {
      access = {
        token: session.accessToken,
        expiresAt: Date.now() + session.expiresIn * 1000,
        refreshToken: session.refreshToken,
      };
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ refreshToken: session.refreshToken, user: session.user }));
      setUser(session.user);
    };
    const forget = (): void => {
      access = undefined;
      localStorage.removeItem(STORAGE_KEY);
      setUser(undefined);
    };
    const refresh = (force = false): Promise<string | undefined> =>
      withLock(async () => {
        const stored = readStored();
        if (!stored) {
          forget();
          return undefined;
        }
        // Another tab rotated the pair while we waited for the lock: its access token is not ours, but
        // the stored refresh token is the live one.
        const current = access;
        if (
          !force &&
          current &&
          current.refreshToken === stored.refreshToken &&
          current.expiresAt - EARLY_REFRESH_MS > Date.now()
        )
          return current.token;
        try {
          adopt(await data(api.POST('/v1/auth/refresh', { body: { refreshToken: stored.refreshToken } })));
          return access!.token;
        } catch (error) {
          if (error instanceof ApiProblem && error.status >= 400 && error.status < 500) forget();
          throw error;
        }
      });
    const token = async (): Promise<string | undefined> => {
      if (access && access.expiresAt - EARLY_REFRESH_MS > Date.now()) return access.token;
      if (!readStored()) return undefined;
      return refresh();
    };
    // Now, not in an effect: children's effects run before this component's, and their first requests
    // (after a reload, while signed in) would otherwise leave without a token and answer 401.
    setAccessTokenSource(token);
    return { adopt, forget, refresh, token };
  }, []);

  // Signing out in another tab signs this one out too.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === STORAGE_KEY && !event.newValue) setUser(undefined);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const signIn = useCallback(
    async (email: string, password: string) => {
      manager.adopt(await data(api.POST('/v1/auth/login', { body: { email, password } })));
    },
    [manager],
  );
  const signUp = useCallback(
    async (displayName: string, email: string, password: string) => {
      manager.adopt(await data(api.POST('/v1/auth/register', { body: { displayName, email, password } })));
    },
    [manager],
  );
  const signOut = useCallback(async () => {
    const stored = readStored();
    manager.forget();
    if (stored)
      await api.POST('/v1/auth/logout', { body: { refreshToken: stored.refreshToken } }).catch(() => undefined);
  }, [manager]);
  const renew = useCallback(async () => {
    await manager.refresh(true);
  }, [manager]);

  const value = useMemo<SessionState>(
    () => ({
      user,
      signIn,
      signUp,
      signOut,
      renew,
      isOrganizer: !!user?.roles.includes('organizer'),
      isAdmin: !!user?.roles.includes('admin'),
    }),
    [user, signIn, signUp, signOut, renew],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}
