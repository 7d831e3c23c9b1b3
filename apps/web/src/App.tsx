// Routes and the frame around every page. Pages live in pages/, one area per folder:
// attendee (discover, register, tickets, notifications, reviews), organizer, door (check-in), account.
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Layout } from './components/Layout';
import { SessionProvider, useSession } from './session/session';
import { SignInPage, SignUpPage } from './pages/account/AuthPages';
import { AccountPage } from './pages/account/AccountPage';
import { EventsPage } from './pages/attendee/EventsPage';
import { EventPage } from './pages/attendee/EventPage';
import { MyTicketsPage, TicketPage } from './pages/attendee/TicketsPages';
import { NotificationsPage } from './pages/attendee/NotificationsPage';
import { Loading } from './components/ui';
import { NotFoundPage } from './pages/NotFoundPage';

/** Pages that need a signed-in user send others to sign in, and back here afterwards. */
function SignedIn({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

const signedIn = (page: ReactNode) => (
  <SignedIn>
    <Suspense fallback={<Loading />}>{page}</Suspense>
  </SignedIn>
);

/** A page loaded when first visited: attendees never download the organizer's and the door's code. */
function later<M>(load: () => Promise<M>, name: keyof M) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const OrganizerHomePage = later(() => import('./pages/organizer/OrganizerHomePage'), 'OrganizerHomePage');
const EventEditorPage = later(() => import('./pages/organizer/EventEditorPage'), 'EventEditorPage');
const DashboardPage = later(() => import('./pages/organizer/DashboardPage'), 'DashboardPage');
const AttendeesPage = later(() => import('./pages/organizer/AttendeesPage'), 'AttendeesPage');
const StaffPage = later(() => import('./pages/organizer/StaffPage'), 'StaffPage');
const WebhooksPage = later(() => import('./pages/organizer/WebhooksPages'), 'WebhooksPage');
const WebhookPage = later(() => import('./pages/organizer/WebhooksPages'), 'WebhookPage');
const CheckInPage = later(() => import('./pages/door/CheckInPage'), 'CheckInPage');

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <EventsPage /> },
      { path: '/events/:eventId', element: <EventPage /> },
      { path: '/signin', element: <SignInPage /> },
      { path: '/signup', element: <SignUpPage /> },
      { path: '/account', element: signedIn(<AccountPage />) },
      { path: '/tickets', element: signedIn(<MyTicketsPage />) },
      { path: '/tickets/:registrationId', element: signedIn(<TicketPage />) },
      { path: '/notifications', element: signedIn(<NotificationsPage />) },
      { path: '/organizer', element: signedIn(<OrganizerHomePage />) },
      { path: '/organizer/events/new', element: signedIn(<EventEditorPage />) },
      { path: '/organizer/events/:eventId', element: signedIn(<DashboardPage />) },
      { path: '/organizer/events/:eventId/edit', element: signedIn(<EventEditorPage />) },
      { path: '/organizer/events/:eventId/attendees', element: signedIn(<AttendeesPage />) },
      { path: '/organizer/events/:eventId/staff', element: signedIn(<StaffPage />) },
      { path: '/organizer/webhooks', element: signedIn(<WebhooksPage />) },
      { path: '/organizer/webhooks/:webhookId', element: signedIn(<WebhookPage />) },
      { path: '/door/:eventId', element: signedIn(<CheckInPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
