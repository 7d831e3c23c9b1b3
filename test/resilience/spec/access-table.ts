// Who may call each operation of the public API. One row per operationId of openapi/openapi.json:
// access-matrix.test.ts fails when the spec has an operation this table does not classify (or the
// table names one the spec lost), so a new route cannot ship without someone deciding who may call it.
// Sources: the controllers' @Public()/@Roles() (apps/gateway/src) and the services' ownership rules
// (docs/architecture.md; invariant 5 of shared/ARCHITECTURE.md).

/** The resources whose ids appear in paths and belong to someone. */
export type OwnedResource = 'registration' | 'review' | 'webhook' | 'notification';

export type AccessRule =
  /** Anyone, without a token. `optionalIdentity`: a token, when sent, is verified and may show more. */
  | { access: 'public'; optionalIdentity?: boolean }
  /** Any signed-in user, acting on themselves only: no id in the request names whom it acts on. */
  | { access: 'self' }
  /** Needs the organizer role; creates something of the caller's own (no existing resource in the path). */
  | { access: 'organizer-role' }
  /** Only the owner of the resource in the path (`alsoOrganizer`: the event's organizer too). */
  | { access: 'owner'; resource: OwnedResource; alsoOrganizer?: boolean }
  /**
   * Only the organizer of the event (reached through `via`: the path's event, or the event of the path's
   * review) or an admin; `staff`: its check-in staff too.
   */
  | { access: 'organizer-of-event'; via: 'event' | 'review'; staff?: boolean }
  /** Someone who attended the event (checked in, or held a seat once it started), not its organizer. */
  | { access: 'attendee-of-event' }
  | { access: 'admin' };

export const ACCESS_TABLE: Record<string, AccessRule> = {
  // Platform and sessions
  getJwks: { access: 'public' },
  register: { access: 'public' },
  login: { access: 'public' },
  refresh: { access: 'public' },
  logout: { access: 'public' },

  // Administration
  grantRole: { access: 'admin' },
  rotateSigningKey: { access: 'admin' },

  // The caller's own account
  getMe: { access: 'self' },
  updateMe: { access: 'self' },
  deleteMe: { access: 'self' },
  becomeOrganizer: { access: 'self' },
  listMyEvents: { access: 'self' },
  listMyRegistrations: { access: 'self' },
  getMyNotificationPreferences: { access: 'self' },
  updateMyNotificationPreferences: { access: 'self' },
  listMyNotifications: { access: 'self' },
  countMyUnreadNotifications: { access: 'self' },
  markAllMyNotificationsRead: { access: 'self' },
  streamMyNotifications: { access: 'self' },
  listWebhooks: { access: 'self' },

  // Events
  listEvents: { access: 'public' },
  getEvent: { access: 'public', optionalIdentity: true },
  createEvent: { access: 'organizer-role' },
  updateEvent: { access: 'organizer-of-event', via: 'event' },
  publishEvent: { access: 'organizer-of-event', via: 'event' },
  cancelEvent: { access: 'organizer-of-event', via: 'event' },
  addEventStaff: { access: 'organizer-of-event', via: 'event' },
  addEventStaffByEmail: { access: 'organizer-of-event', via: 'event' },
  removeEventStaff: { access: 'organizer-of-event', via: 'event' },
  // The staff see who else works the door.
  listEventStaff: { access: 'organizer-of-event', via: 'event', staff: true },

  // Registrations, tickets, the door
  getAvailability: { access: 'public' },
  streamAvailability: { access: 'public' },
  getTicketKeys: { access: 'public' },
  // Registers the caller (the identity is the only "who"): any signed-in user, for themselves.
  registerForEvent: { access: 'self' },
  getRegistration: { access: 'owner', resource: 'registration', alsoOrganizer: true },
  cancelRegistration: { access: 'owner', resource: 'registration', alsoOrganizer: true },
  getTicket: { access: 'owner', resource: 'registration' },
  listAttendees: { access: 'organizer-of-event', via: 'event', staff: true },
  checkIn: { access: 'organizer-of-event', via: 'event', staff: true },

  // Reviews
  listEventReviews: { access: 'public' },
  getReview: { access: 'public', optionalIdentity: true },
  createReview: { access: 'attendee-of-event' },
  updateReview: { access: 'owner', resource: 'review' },
  deleteReview: { access: 'owner', resource: 'review' },
  replyToReview: { access: 'organizer-of-event', via: 'review' },
  hideReview: { access: 'organizer-of-event', via: 'review' },

  // Notifications and webhooks
  markMyNotificationRead: { access: 'owner', resource: 'notification' },
  createWebhook: { access: 'organizer-role' },
  getWebhook: { access: 'owner', resource: 'webhook' },
  deleteWebhook: { access: 'owner', resource: 'webhook' },
  listWebhookDeliveries: { access: 'owner', resource: 'webhook' },
  redeliverWebhookDelivery: { access: 'owner', resource: 'webhook' },
};
