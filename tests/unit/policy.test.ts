import { Role, Viewer } from "../../lib/auth";
import { definePolicy } from "../../lib/policy";

const viewer = (role: Role): Viewer => ({ subject: "test", role, venueIds: [] });
const policy = definePolicy({ "round:open": [Role.ORGANIZER], "score:submit": [Role.JUDGE, Role.ORGANIZER] });

describe("definePolicy", () => {
  it("lets the listed roles perform an action", () => {
    expect(policy.can(viewer(Role.ORGANIZER), "round:open")).toBe(true);
    expect(policy.assertCan({ viewer: viewer(Role.JUDGE) }, "score:submit").role).toBe(Role.JUDGE);
  });

  it("refuses another role with FORBIDDEN naming the action and the roles", () => {
    expect(policy.can(viewer(Role.PARTNER), "round:open")).toBe(false);
    expect(() => policy.assertCan({ viewer: viewer(Role.PARTNER) }, "round:open")).toThrow(
      /round:open needs one of these roles: ORGANIZER; your token has PARTNER/,
    );
    expect(() => policy.assertCan({ viewer: viewer(Role.VENUE) }, "score:submit")).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "FORBIDDEN" }) }),
    );
  });

  it("refuses the public with UNAUTHENTICATED, and `can` says no", () => {
    expect(policy.can(undefined, "score:submit")).toBe(false);
    expect(() => policy.assertCan({ viewer: undefined }, "score:submit")).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) }),
    );
  });
});
