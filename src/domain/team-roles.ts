/**
 * What each member of an organization may do with its events: one table of action → roles. An
 * event's creator and admins may do everything, as before teams; a member acts only within the
 * roles listed here (src/http/team-access.ts checks every organizer route against it).
 */

export const TEAM_ROLES = ["owner", "manager", "box_office", "scanner"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

const ALL = TEAM_ROLES;
const MANAGERS = ["owner", "manager"] as const;

export const TEAM_ACTIONS = {
  /** See the event as its organizer does: its definition and live stats. */
  "event.read": ALL,
  /** Edit, publish, pause, resume; its image, vouchers and notifications. */
  "event.edit": MANAGERS,
  "event.cancel": MANAGERS,
  /** Take seats off sale and put them back. */
  "seats.kill": MANAGERS,
  /** Complimentary tickets. */
  "comp.create": ["owner", "manager", "box_office"],
  /** Search orders and attendees, export them, read the audit log and the books. */
  "orders.read": ["owner", "manager", "box_office"],
  "order.refund": MANAGERS,
  /** Create events in the organization, add members and change their roles. */
  "org.manage": ["owner"],
  "org.create_event": MANAGERS,
} as const satisfies Record<string, readonly TeamRole[]>;

export type TeamAction = keyof typeof TEAM_ACTIONS;

export const roleMay = (role: TeamRole, action: TeamAction): boolean =>
  (TEAM_ACTIONS[action] as readonly TeamRole[]).includes(role);
