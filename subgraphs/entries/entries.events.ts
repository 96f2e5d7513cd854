// The events the entries subgraph handles: other subgraphs' requests to grant entries to the public or to judges.
// Each request is applied in the transaction that moves the feed cursor, and acknowledged with entry-grants.applied
// (publishers wait for it before they show anything that needs the entries: PUBLISHING → PUBLISHED).
import type { EventHandlers } from "../../lib/events/follower";
import { recordEvent } from "../../lib/events/outbox";
import { logger } from "../../lib/logger";
import { audienceOf, isGrantSource, publicGrantOrganizations, replaceGrants } from "./entry-grant/entry-grant.store";

export const entriesSubscriptions: EventHandlers = {
  "entry-grants.requested": async (event, manager) => {
    const { source, version, grants } = event.payload;
    if (!isGrantSource(source) || !Number.isSafeInteger(version)) {
      logger.error("malformed grant request ignored", { producer: event.producer, position: event.position, source });
      return;
    }
    for (const grant of grants) {
      const audience = audienceOf(grant);
      if (audience === null) {
        logger.error("grant set without exactly one audience ignored", { producer: event.producer, position: event.position, source });
        continue;
      }
      await replaceGrants(manager, source, audience, version, grant.entryIds);
    }
    await recordEvent(manager, "entries", {
      type: "entry-grants.applied",
      organizationIds: [],
      payload: { source, version, organizationIds: await publicGrantOrganizations(manager, source) },
    });
  },
};
