import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../session/session';
import { NotificationBell } from './NotificationBell';

/** The header, a skip link, and focus moved to the new page's heading on navigation. */
export function Layout() {
  const { user, isOrganizer, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    // Screen readers and keyboards land on the new page, not on the link that was followed. A page may
    // show its heading only once loaded: wait for it (briefly).
    const container = main.current;
    if (!container) return;
    const focusHeading = (): boolean => {
      const heading = container.querySelector('h1');
      if (!heading) return false;
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => focusHeading() && observer.disconnect());
    observer.observe(container, { childList: true, subtree: true });
    const timer = setTimeout(() => observer.disconnect(), 5000);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand" aria-label="Convene, home">
          Convene
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Events
              </NavLink>
            </li>
            {user && (
              <li>
                <NavLink to="/tickets">My tickets</NavLink>
              </li>
            )}
            {user && isOrganizer && (
              <li>
                <NavLink to="/organizer">Organize</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="header-actions">
          {user ? (
            <>
              <NotificationBell />
              <NavLink to="/account" className="account-link">
                {user.displayName}
              </NavLink>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => void signOut().then(() => navigate('/'))}
              >
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/signin">Sign in</NavLink>
              <Link to="/signup" className="button">
                Sign up
              </Link>
            </>
          )}
        </div>
      </header>
      <main id="main" ref={main}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Convene — open-source event management. <a href="/docs">API</a>
        </p>
      </footer>
    </>
  );
}
