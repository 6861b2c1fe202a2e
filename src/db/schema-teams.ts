import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** An organization: a team whose members manage its events with their roles (src/domain/team-roles.ts). */
export const orgs = sqliteTable("orgs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** A member, invited by e-mail (lower case): whoever signs in with that address acts with the role. */
export const orgMembers = sqliteTable(
  "org_members",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "manager", "box_office", "scanner"] }).notNull(),
    /** The creator's own membership also names its user id (a token may carry no e-mail). */
    userId: text("user_id"),
    addedBy: text("added_by").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.email] }), index("org_members_email").on(t.email)],
);
