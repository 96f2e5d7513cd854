// The visibility contract, generated from the composed API schema (the one the gateway serves):
// every root field, every argument (filter input fields included), every list reached through a parent, every
// mutation and every entity each subgraph resolves through `_entities` must carry a declared rule below, and each
// rule is tried for the seven roles (public, judge, venue of organisation A, venue of organisation B, partner A,
// partner B, organiser) through the gateway — or straight to the subgraph for `_entities` — against data made for
// it, on real servers and a real PostgreSQL. A new field, argument, list, mutation or entity without a rule fails
// "declares a rule for every …" below; a renamed one fails "declares nothing the schema no longer has".
//
// How to add a rule (for whoever adds a field):
// - a read (Query field, argument, input field of a filter, or a list/connection field on any type): add a
//   READS row, or add its coordinate to `covers` of the row whose probe already exercises it. `covers` holds
//   coordinates as the failure message prints them: `Query.entries`, `Query.entries(filter:)`,
//   `EntryFilter.venueId`, `Venue.entries`, `Venue.entries(status:)`. `expect` says per role what the answer
//   may hold: "DENIED" (FORBIDDEN; UNAUTHENTICATED also for the public; nothing of the data), "NONE" (no data
//   of the fixture: null, empty, or NOT_FOUND), or { sees, hides, totalCount } naming fixture values (see
//   `Fixture`); `others` applies to every role not named;
// - an argument that changes presentation only (a locale): add it to PRESENTATION_ONLY with the reason;
// - a mutation: add it to WRITES with the roles that may call it; every other role is sent the mutation with
//   arguments built from the schema and must be refused (FORBIDDEN, UNAUTHENTICATED or NOT_FOUND) without data;
// - a new entity (a type with @key that a subgraph resolves): add an ENTITIES row "<subgraph>:<Type>".
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  getNamedType,
  GraphQLInputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
} from "graphql";
import { loadApiSchema } from "../../gateway/explorer/explorer.routes";
import { SUBGRAPH_NAMES, SubgraphName } from "../../lib/config";
import { entities, errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { makePublic, seedCompetition, seedDivision, seedEntry, seedVenue, unique } from "../kit/factories";
import { seedExhibition } from "../kit/exhibitions-factories";
import { judgeToken, judgingApi, ok, organizerToken, seedJudge } from "../kit/judging-factories";
import { startSystem, TestSystem } from "../kit/system";
import { EntryKind, EntryStatus, MediaStatus, MicroVideo } from "../../subgraphs/entries/entry/entry.entity";
import { insertUpload } from "../../subgraphs/entries/media-upload/media-upload.store";
import { ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";

const ROLES = ["public", "judge", "venueA", "venueB", "partnerA", "partnerB", "organizer"] as const;
type RoleName = (typeof ROLES)[number];

/** The data made for the contract; rules name these values. */
interface Fixture {
  /** Organisation A's venue (division D, PT): aAssigned (assigned to the judge), aDraft, aPublicRefusing (public, no consent, ES). */
  venueA: string;
  venueACode: string;
  orgA: string;
  division: string;
  /** Organisation B's venue (CN): bAssigned (assigned to the judge), bPublic (public, in B's published exhibition, PT). */
  venueB: string;
  orgB: string;
  aAssigned: string;
  aDraft: string;
  aPublicRefusing: string;
  bAssigned: string;
  bPublic: string;
  /** A resumable upload opened for aDraft (a micro-video draft). */
  aUpload: string;
  aAssignedEmail: string;
  bAssignedEmail: string;
  judge: string;
  judgeEmail: string;
  round: string;
  score: string;
  /** B's published exhibition (host venue B, work of bPublic) and A's draft exhibition (host venue A, work of aAssigned). */
  publishedExhibition: string;
  publishedSlug: string;
  publishedSection: string;
  publishedWork: string;
  draftExhibitionA: string;
  draftWork: string;
}
type Name = keyof Fixture;
const ENTRIES: Name[] = ["aAssigned", "aDraft", "aPublicRefusing", "bAssigned", "bPublic"];
/** What an empty or refused answer never holds. */
const PRIVATE: Name[] = [
  "aUpload",
  "aAssigned",
  "aDraft",
  "aPublicRefusing",
  "bAssigned",
  "bPublic",
  "aAssignedEmail",
  "bAssignedEmail",
  "judgeEmail",
  "draftExhibitionA",
  "draftWork",
  "score",
];

type Expectation = "DENIED" | "NONE" | { sees?: Name[]; hides?: Name[]; totalCount?: number };
type Expectations = Partial<Record<RoleName | "others", Expectation>>;

interface ReadRule {
  covers: string[];
  query: string;
  variables?: (d: Fixture) => Record<string, unknown>;
  expect: Expectations;
}

const OWNERS_A = { venueA: 1, partnerA: 1, organizer: 1 };
const only = (roles: Partial<Record<RoleName, unknown>>, allowed: Expectation, others: Expectation = "DENIED"): Expectations =>
  Object.fromEntries([...Object.keys(roles).map((role) => [role, allowed]), ["others", others]]);
const everyone = (expectation: Expectation): Expectations => ({ others: expectation });

const READS: ReadRule[] = [
  {
    covers: ["Query.competition", "Competition.themes", "Theme.name(locale:)", "Theme.description(locale:)"],
    query: `{ competition { id themes { code name(locale: "en") description(locale: "zh") } } }`,
    expect: everyone({}),
  },
  {
    covers: ["Query.entries", "Query.entries(first:)", "Query.entries(after:)"],
    query: `{ entries(first: 50) { totalCount edges { node { id } } } }`,
    expect: {
      public: { sees: ["aPublicRefusing", "bPublic"], hides: ["aAssigned", "bAssigned", "aDraft"], totalCount: 2 },
      judge: { sees: ["aAssigned", "bAssigned", "aPublicRefusing", "bPublic"], hides: ["aDraft"], totalCount: 4 },
      venueA: { sees: ["aAssigned", "aDraft", "aPublicRefusing", "bPublic"], hides: ["bAssigned"], totalCount: 4 },
      partnerA: { sees: ["aAssigned", "aDraft", "aPublicRefusing", "bPublic"], hides: ["bAssigned"], totalCount: 4 },
      venueB: { sees: ["bAssigned", "bPublic", "aPublicRefusing"], hides: ["aAssigned", "aDraft"], totalCount: 3 },
      partnerB: { sees: ["bAssigned", "bPublic", "aPublicRefusing"], hides: ["aAssigned", "aDraft"], totalCount: 3 },
      organizer: { sees: ENTRIES, totalCount: 5 },
    },
  },
  {
    // Class 1: the venue is hidden from judges, so is every partition by it.
    covers: ["Query.entries(filter:)", "EntryFilter.venueId"],
    query: `query($v: ID!) { entries(first: 50, filter: { venueId: $v }) { totalCount edges { node { id } } } }`,
    variables: (d) => ({ v: d.venueB }),
    expect: {
      public: { sees: ["bPublic"], hides: ["bAssigned"], totalCount: 1 },
      judge: "DENIED",
      venueA: { sees: ["bPublic"], hides: ["bAssigned"], totalCount: 1 },
      partnerA: { sees: ["bPublic"], hides: ["bAssigned"], totalCount: 1 },
      venueB: { sees: ["bAssigned", "bPublic"], totalCount: 2 },
      partnerB: { sees: ["bAssigned", "bPublic"], totalCount: 2 },
      organizer: { sees: ["bAssigned", "bPublic"], totalCount: 2 },
    },
  },
  {
    // Classes 1 and 5: judges may not filter by country; others match only the countries they can read.
    covers: ["EntryFilter.country"],
    query: `{ entries(first: 50, filter: { country: "ES" }) { totalCount edges { node { id } } } }`,
    expect: {
      public: { hides: ["aPublicRefusing"], totalCount: 0 },
      judge: "DENIED",
      venueB: { hides: ["aPublicRefusing"], totalCount: 0 },
      partnerB: { hides: ["aPublicRefusing"], totalCount: 0 },
      venueA: { sees: ["aPublicRefusing"], totalCount: 1 },
      partnerA: { sees: ["aPublicRefusing"], totalCount: 1 },
      organizer: { sees: ["aPublicRefusing"], totalCount: 1 },
    },
  },
  {
    covers: ["EntryFilter.theme", "EntryFilter.kind", "EntryFilter.status"],
    query: `{ entries(first: 50, filter: { theme: NATURE, kind: SINGLE_PHOTO, status: SUBMITTED }) { totalCount edges { node { id } } } }`,
    expect: {
      public: { totalCount: 0 },
      judge: { sees: ["aAssigned", "bAssigned"], totalCount: 2 },
      venueA: { sees: ["aAssigned"], hides: ["bAssigned"], totalCount: 1 },
      partnerA: { sees: ["aAssigned"], hides: ["bAssigned"], totalCount: 1 },
      venueB: { sees: ["bAssigned"], hides: ["aAssigned"], totalCount: 1 },
      partnerB: { sees: ["bAssigned"], hides: ["aAssigned"], totalCount: 1 },
      organizer: { sees: ["aAssigned", "bAssigned"], totalCount: 2 },
    },
  },
  {
    covers: ["Query.entry", "Query.entry(id:)"],
    query: `query($id: ID!) { entry(id: $id) { id venue { id } country creditName entrant { email } } }`,
    variables: (d) => ({ id: d.bAssigned }),
    expect: {
      judge: { sees: ["bAssigned"], hides: ["venueB", "bAssignedEmail"] },
      venueB: { sees: ["bAssigned", "bAssignedEmail", "venueB"] },
      partnerB: { sees: ["bAssigned", "bAssignedEmail", "venueB"] },
      organizer: { sees: ["bAssigned", "bAssignedEmail", "venueB"] },
      others: "NONE",
    },
  },
  {
    covers: ["Query.entryStats", "Query.entryStats(groupBy:)"],
    query: `{ entryStats(groupBy: VENUE) { key count } }`,
    expect: {
      partnerA: { sees: ["venueA"], hides: ["venueB"] },
      partnerB: { sees: ["venueB"], hides: ["venueA"] },
      organizer: { sees: ["venueA", "venueB"] },
      others: "DENIED",
    },
  },
  {
    covers: [
      "Query.entrantCollisions",
      "Query.entrantCollisions(first:)",
      "Query.entrantCollisions(after:)",
      "Query.entrantCollisions(unresolvedOnly:)",
      "EntrantCollision.entrants",
    ],
    query: `{ entrantCollisions(first: 10, unresolvedOnly: true) { totalCount edges { node { email entrants { entries } } } } }`,
    expect: only({ organizer: 1 }, { totalCount: 0 }),
  },
  {
    covers: ["Query.exhibitedWork", "Query.exhibitedWork(id:)"],
    query: `query($id: ID!) { exhibitedWork(id: $id) { id entry { id } } }`,
    variables: (d) => ({ id: d.draftWork }),
    expect: { partnerA: { sees: ["draftWork", "aAssigned"] }, organizer: { sees: ["draftWork", "aAssigned"] }, others: "NONE" },
  },
  {
    covers: ["Query.exhibitions", "Query.exhibitions(first:)", "Query.exhibitions(after:)"],
    query: `{ exhibitions(first: 50) { totalCount edges { node { id } } } }`,
    expect: {
      partnerA: { sees: ["publishedExhibition", "draftExhibitionA"], totalCount: 2 },
      organizer: { sees: ["publishedExhibition", "draftExhibitionA"], totalCount: 2 },
      others: { sees: ["publishedExhibition"], hides: ["draftExhibitionA"], totalCount: 1 },
    },
  },
  {
    covers: ["Query.exhibitions(filter:)", "ExhibitionFilter.status", "ExhibitionFilter.kind", "ExhibitionFilter.hostVenueId"],
    query: `query($v: ID) { exhibitions(first: 50, filter: { status: DRAFT, kind: ONLINE, hostVenueId: $v }) { totalCount edges { node { id } } } }`,
    variables: (d) => ({ v: d.venueA }),
    expect: { partnerA: { sees: ["draftExhibitionA"], totalCount: 1 }, organizer: { sees: ["draftExhibitionA"], totalCount: 1 }, others: { totalCount: 0 } },
  },
  {
    covers: ["Query.exhibition", "Query.exhibition(id:)", "Exhibition.works", "Exhibition.works(first:)"],
    query: `query($id: ID) { exhibition(id: $id) { id works(first: 10) { totalCount edges { node { id entry { id } } } } } }`,
    variables: (d) => ({ id: d.draftExhibitionA }),
    expect: { partnerA: { sees: ["draftExhibitionA", "aAssigned"] }, organizer: { sees: ["draftExhibitionA", "aAssigned"] }, others: "NONE" },
  },
  {
    covers: [
      "Query.exhibition(slug:)",
      "Exhibition.title(locale:)",
      "Exhibition.description(locale:)",
      "Exhibition.titleTranslations",
      "Exhibition.descriptionTranslations",
      "Exhibition.hostVenues",
      "Exhibition.sections",
      "Exhibition.works(sectionId:)",
      "Exhibition.works(after:)",
      "ExhibitionSection.title(locale:)",
      "ExhibitionSection.description(locale:)",
      "ExhibitionSection.titleTranslations",
      "ExhibitionSection.descriptionTranslations",
      "ExhibitionSection.works",
      "ExhibitionSection.works(first:)",
      "ExhibitionSection.works(after:)",
      "ExhibitedWork.caption(locale:)",
      "ExhibitedWork.captionTranslations",
      "ExhibitedWork.likedBy(visitorId:)",
    ],
    query: `query($slug: String, $section: ID) { exhibition(slug: $slug) { id title(locale: "en") description(locale: "en") titleTranslations { locale } descriptionTranslations { locale }
      hostVenues { id } sections { id title(locale: "en") description(locale: "en") titleTranslations { locale } descriptionTranslations { locale } works(first: 5) { totalCount } }
      works(sectionId: $section, first: 10) { totalCount edges { node { id caption(locale: "en") captionTranslations { locale } likedBy(visitorId: "visitor-1") entry { id } } } } } }`,
    variables: (d) => ({ slug: d.publishedSlug, section: d.publishedSection }),
    expect: everyone({ sees: ["publishedExhibition", "venueB", "publishedWork", "bPublic"], totalCount: 1 }),
  },
  {
    covers: [
      "Query.myAssignments",
      "Query.myAssignments(first:)",
      "Query.myAssignments(after:)",
      "Query.myAssignments(status:)",
      "Query.myAssignments(roundId:)",
    ],
    query: `query($r: ID) { myAssignments(roundId: $r, status: SCORED, first: 10) { totalCount edges { node { entry { id venue { id } } } } } }`,
    variables: (d) => ({ r: d.round }),
    expect: { judge: { sees: ["aAssigned"], hides: ["bAssigned", "venueA"], totalCount: 1 }, others: "DENIED" },
  },
  {
    covers: [
      "Query.roundAssignments",
      "Query.roundAssignments(roundId:)",
      "Query.roundAssignments(judgeId:)",
      "Query.roundAssignments(entryId:)",
      "Query.roundAssignments(status:)",
      "Query.roundAssignments(first:)",
      "Query.roundAssignments(after:)",
    ],
    query: `query($r: ID!, $j: ID, $e: ID) { roundAssignments(roundId: $r, judgeId: $j, entryId: $e, status: ASSIGNED, first: 10) { totalCount edges { node { entry { id } } } } }`,
    variables: (d) => ({ r: d.round, j: d.judge, e: d.bAssigned }),
    expect: only({ organizer: 1 }, { sees: ["bAssigned"], totalCount: 1 }),
  },
  {
    // Published awards are public: a judge learns there exactly what a request without a token learns.
    covers: ["Query.awards", "Query.awards(theme:)", "Query.awards(divisionId:)", "Query.awards(venueId:)", "Query.awards(first:)", "Query.awards(after:)"],
    query: `query($d: ID, $v: ID) { awards(theme: NATURE, divisionId: $d, venueId: $v, first: 10) { totalCount edges { node { id entry { id } } } } }`,
    variables: (d) => ({ d: d.division, v: d.venueA }),
    expect: everyone({ totalCount: 0 }),
  },
  {
    covers: ["Query.awards(includeUnpublished:)"],
    query: `{ awards(includeUnpublished: true) { totalCount } }`,
    expect: only({ organizer: 1 }, { totalCount: 0 }),
  },
  {
    covers: ["Query.award", "Query.award(id:)"],
    query: `query($id: ID!) { award(id: $id) { id } }`,
    variables: () => ({ id: randomUUID() }),
    expect: everyone("NONE"),
  },
  {
    covers: ["Query.judges", "Query.judges(first:)", "Query.judges(after:)"],
    query: `{ judges(first: 50) { totalCount edges { node { id email } } } }`,
    expect: only({ organizer: 1 }, { sees: ["judge", "judgeEmail"] }),
  },
  {
    covers: ["Query.judge", "Query.judge(id:)"],
    query: `query($id: ID!) { judge(id: $id) { id email } }`,
    variables: (d) => ({ id: d.judge }),
    expect: { organizer: { sees: ["judge", "judgeEmail"] }, judge: { sees: ["judge"], hides: ["judgeEmail"] }, others: "NONE" },
  },
  {
    covers: ["Query.myJudge", "Judge.organizations", "Judge.venues"],
    query: `{ myJudge { id organizations { id } venues { id } } }`,
    expect: only({ judge: 1 }, { sees: ["judge"] }),
  },
  {
    covers: [
      "Query.leaderboard",
      "Query.leaderboard(roundId:)",
      "Query.leaderboard(theme:)",
      "Query.leaderboard(divisionId:)",
      "Query.leaderboard(first:)",
      "Query.leaderboard(after:)",
      "RankExplanation.contributions",
    ],
    query: `query($r: ID!) { leaderboard(roundId: $r, theme: NATURE, first: 10) { totalCount edges { node { entry { id } explanation { meanZScore contributions { __typename } } } } } }`,
    variables: (d) => ({ r: d.round }),
    expect: only({ organizer: 1 }, { sees: ["aAssigned", "bAssigned"], totalCount: 2 }),
  },
  {
    covers: ["Query.leaderboard(divisionId:)"],
    query: `query($r: ID!, $d: ID) { leaderboard(roundId: $r, divisionId: $d) { totalCount } }`,
    variables: (d) => ({ r: d.round, d: d.division }),
    expect: only({ organizer: 1 }, {}),
  },
  { covers: ["Query.rounds"], query: `{ rounds { id } }`, expect: only({ organizer: 1 }, { sees: ["round"] }) },
  {
    covers: ["Query.round", "Query.round(id:)", "JudgingRound.criteria"],
    query: `query($id: ID!) { round(id: $id) { id criteria { code } division { id } assignmentSeed } }`,
    variables: (d) => ({ id: d.round }),
    expect: { organizer: { sees: ["round"] }, judge: { sees: ["round"], hides: ["division"] }, others: "NONE" },
  },
  {
    covers: ["Query.judgingProgress", "Query.judgingProgress(roundId:)", "JudgingProgress.judges"],
    query: `query($r: ID) { judgingProgress(roundId: $r) { entries judges { judge { id } } } }`,
    variables: (d) => ({ r: d.round }),
    expect: only({ organizer: 1 }, { sees: ["judge"] }),
  },
  {
    covers: ["Query.myJudgingProgress", "Query.myJudgingProgress(roundId:)", "MyJudgingProgress.distribution"],
    query: `query($r: ID!) { myJudgingProgress(roundId: $r) { assigned scored distribution { value count } } }`,
    variables: (d) => ({ r: d.round }),
    expect: only({ judge: 1 }, {}),
  },
  {
    covers: ["Query.scoreHistory", "Query.scoreHistory(entryId:)", "Query.scoreHistory(roundId:)", "ScoreEvent.criteria"],
    query: `query($e: ID!, $r: ID!) { scoreHistory(entryId: $e, roundId: $r) { sequence value criteria { code } judge { id } } }`,
    variables: (d) => ({ e: d.aAssigned, r: d.round }),
    expect: only({ organizer: 1 }, { sees: ["judge"] }),
  },
  {
    covers: ["Query.verifyScoreLog", "Query.verifyScoreLog(roundId:)", "Query.verifyScoreLog(expectedHead:)", "ScoreLogVerification.problems"],
    query: `query($r: ID!) { verifyScoreLog(roundId: $r) { valid problems { problem } } }`,
    variables: (d) => ({ r: d.round }),
    expect: only({ organizer: 1 }, {}),
  },
  {
    covers: ["Entry.scores", "Score.criteria"],
    query: `query($id: ID!) { entry(id: $id) { id scores { id value criteria { code } } } }`,
    variables: (d) => ({ id: d.aAssigned }),
    expect: {
      judge: { sees: ["score"] },
      organizer: { sees: ["score"] },
      venueA: { sees: ["aAssigned"], hides: ["score"] },
      partnerA: { sees: ["aAssigned"], hides: ["score"] },
      others: "NONE",
    },
  },
  {
    covers: ["Entry.photos", "Photo.url(size:)"],
    query: `query($id: ID!) { entry(id: $id) { id photos { id url(size: ORIGINAL) } } }`,
    variables: (d) => ({ id: d.aAssigned }),
    expect: { ...only(OWNERS_A, { sees: ["aAssigned"] }, "NONE"), judge: "DENIED" },
  },
  {
    // Originals carry the author's metadata (#12 class 2): organisers and the owner only; a judge is refused.
    covers: ["MicroVideo.url(rendition:)"],
    query: `query($id: ID!) { entry(id: $id) { video { original: url(rendition: ORIGINAL) } } }`,
    variables: (d) => ({ id: d.aAssigned }),
    expect: { ...only(OWNERS_A, {}, "NONE"), judge: "DENIED" },
  },
  {
    // An unfinished upload (its part URLs are credentials): the owners of its entry and organisers; others learn nothing of it.
    covers: ["Query.mediaUpload", "Query.mediaUpload(id:)", "MediaUpload.parts"],
    query: `query($id: ID!) { mediaUpload(id: $id) { id entryId receivedBytes parts { number url received } } }`,
    variables: (d) => ({ id: d.aUpload }),
    expect: { ...only(OWNERS_A, { sees: ["aUpload", "aDraft"] }, "NONE"), public: "DENIED", judge: "DENIED" },
  },
  {
    covers: ["MicroVideo.renditions"],
    query: `query($id: ID!) { entry(id: $id) { id video { status renditions { rendition } } } }`,
    variables: (d) => ({ id: d.aAssigned }),
    expect: { ...only({ ...OWNERS_A, judge: 1 }, { sees: ["aAssigned"] }, "NONE") },
  },
  {
    covers: ["Entry.exhibitions", "Entry.awards"],
    query: `query($id: ID!) { entry(id: $id) { id exhibitions { id } awards { id } } }`,
    variables: (d) => ({ id: d.aAssigned }),
    expect: {
      partnerA: { sees: ["draftExhibitionA"] },
      organizer: { sees: ["draftExhibitionA"] },
      venueA: { sees: ["aAssigned"], hides: ["draftExhibitionA"] },
      judge: { sees: ["aAssigned"], hides: ["draftExhibitionA"] },
      others: "NONE",
    },
  },
  { covers: ["Query.apiClients"], query: `{ apiClients { id } }`, expect: only({ organizer: 1 }, {}) },
  { covers: ["Query.divisions", "Division.venues"], query: `{ divisions { id venues { id } } }`, expect: everyone({ sees: ["division", "venueA"] }) },
  {
    covers: ["Query.organizations", "Query.organizations(first:)", "Query.organizations(after:)"],
    query: `{ organizations(first: 100) { totalCount edges { node { id } } } }`,
    expect: everyone({ sees: ["orgA", "orgB"] }),
  },
  {
    covers: ["Query.organization", "Query.organization(id:)", "Organization.venues"],
    query: `query($id: ID!) { organization(id: $id) { id venues { id } } }`,
    variables: (d) => ({ id: d.orgA }),
    expect: everyone({ sees: ["orgA", "venueA"] }),
  },
  {
    covers: [
      "Query.venues",
      "Query.venues(first:)",
      "Query.venues(after:)",
      "Query.venues(filter:)",
      "VenueFilter.region",
      "VenueFilter.country",
      "VenueFilter.organizationId",
      "VenueFilter.divisionId",
      "VenueFilter.kind",
    ],
    query: `query($o: ID, $d: ID) { venues(first: 10, filter: { region: OVERSEAS, country: "PT", organizationId: $o, divisionId: $d, kind: BRANCH_VENUE }) { totalCount edges { node { id } } } }`,
    variables: (d) => ({ o: d.orgA, d: d.division }),
    expect: everyone({ sees: ["venueA"], hides: ["venueB"], totalCount: 1 }),
  },
  {
    covers: ["Query.venue", "Query.venue(id:)", "Query.venue(code:)"],
    query: `query($code: String) { venue(code: $code) { id } }`,
    variables: (d) => ({ code: d.venueACode }),
    expect: everyone({ sees: ["venueA"] }),
  },
  {
    // Class 1: a list reached through a parent whose attribute is hidden from judges.
    covers: ["Venue.entries", "Venue.entries(status:)", "Venue.entries(first:)", "Venue.entries(after:)"],
    query: `query($id: ID) { venue(id: $id) { id entries(status: SUBMITTED, first: 50) { totalCount edges { node { id } } } } }`,
    variables: (d) => ({ id: d.venueA }),
    expect: {
      public: { sees: ["aPublicRefusing"], hides: ["aAssigned"], totalCount: 1 },
      judge: "DENIED",
      venueA: { sees: ["aAssigned", "aPublicRefusing"], totalCount: 2 },
      partnerA: { sees: ["aAssigned", "aPublicRefusing"], totalCount: 2 },
      venueB: { sees: ["aPublicRefusing"], hides: ["aAssigned"], totalCount: 1 },
      partnerB: { sees: ["aPublicRefusing"], hides: ["aAssigned"], totalCount: 1 },
      organizer: { sees: ["aAssigned", "aPublicRefusing"], totalCount: 2 },
    },
  },
  {
    covers: ["Venue.exhibitions", "Venue.awards"],
    query: `query($id: ID) { venue(id: $id) { id exhibitions { id } awards { id } } }`,
    variables: (d) => ({ id: d.venueA }),
    expect: { partnerA: { sees: ["draftExhibitionA"] }, organizer: { sees: ["draftExhibitionA"] }, others: { sees: ["venueA"], hides: ["draftExhibitionA"] } },
  },
  {
    covers: ["Query.apiUsage", "Query.apiUsage(from:)", "Query.apiUsage(to:)"],
    query: `query($from: DateTime!, $to: DateTime!) { apiUsage(from: $from, to: $to) { clientId } }`,
    variables: () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() }),
    expect: only({ organizer: 1 }, {}),
  },
  {
    // Issue #18: how a rank was made names each judge and their raw score: organisers only, like the leaderboard.
    covers: ["RankExplanation.contributions"],
    query: `query($r: ID!) { leaderboard(roundId: $r, theme: NATURE, first: 10) { edges { node { explanation { contributions { score judge { id } } } } } } }`,
    variables: (d) => ({ r: d.round }),
    expect: only({ organizer: 1 }, { sees: ["judge"] }),
  },
  {
    // A held head is checked against the round's chain: before awards are published, organisers only.
    covers: ["Query.verifyScoreLog(expectedHead:)"],
    query: `query($r: ID!) { verifyScoreLog(roundId: $r, expectedHead: "${"0".repeat(64)}") { valid extendsExpectedHead } }`,
    variables: (d) => ({ r: d.round }),
    expect: only({ organizer: 1 }, {}),
  },
  {
    // Issue #17: registered operations. The public safelist is the organisers' to read and change.
    covers: [
      "Query.registeredOperationSet",
      "Query.registeredOperationSet(publicSafelist:)",
      "RegisteredOperationSet.operations",
      "RegisteredOperationSet.operations(first:)",
      "RegisteredOperationSet.operations(after:)",
      "RegisteredOperation.operationNames",
    ],
    query: `{ registeredOperationSet(publicSafelist: true) { operations(first: 5) { totalCount edges { node { operationNames } } } } }`,
    expect: only({ organizer: 1 }, {}),
  },
  {
    // Partners and venues read only their own API client's set (a token from issueToken); a named client is organisers'.
    covers: ["Query.registeredOperationSet(clientId:)"],
    query: `query($c: ID) { registeredOperationSet(clientId: $c) { operations(first: 1) { totalCount } } }`,
    variables: () => ({ c: randomUUID() }),
    expect: { organizer: "NONE", others: "DENIED" },
  },
  {
    covers: ["Query.registeredOperationSets"],
    query: `{ registeredOperationSets { operations(first: 1) { totalCount } } }`,
    expect: only({ organizer: 1 }, {}),
  },
  {
    covers: ["Query.deprecatedFieldUsage", "Query.deprecatedFieldUsage(from:)", "Query.deprecatedFieldUsage(to:)", "Query.deprecatedFieldUsage(coordinate:)"],
    query: `query($from: DateTime!, $to: DateTime!) { deprecatedFieldUsage(from: $from, to: $to, coordinate: "Venue.city") { clientId } }`,
    variables: () => ({ from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() }),
    expect: only({ organizer: 1 }, {}),
  },
  {
    covers: ["Query.webhooks", "Webhook.events", "Webhook.deliveries", "Webhook.deliveries(first:)", "Webhook.deliveries(after:)"],
    query: `{ webhooks { id events deliveries(first: 5) { totalCount } } }`,
    expect: only({ partnerA: 1, partnerB: 1, organizer: 1 }, {}),
  },
];

/** Arguments that change how an answer is presented, never what it holds. */
const PRESENTATION_ONLY: Record<string, string> = {
  "AssignmentSummary.judges": "returned only by assignJudges, an organisers' mutation (see WRITES)",
  "RegisteredOperationsSnapshot.operations":
    "returned only by registeredOperationsSnapshot, internal (@inaccessible: gateways ask the venues subgraph with the subgraph secret)",
  "RegisteredOperationsSnapshot.settings": "returned only by registeredOperationsSnapshot, internal (@inaccessible)",
};

type Gate = readonly RoleName[] | "everyone";
const ORGANIZER: Gate = ["organizer"];
const OWNERS: Gate = ["organizer", "venueA", "venueB", "partnerA", "partnerB"];
const EDITORS: Gate = ["organizer", "partnerA", "partnerB"];
const WRITES: Record<string, Gate> = {
  createEntry: ["venueA", "venueB", "partnerA", "partnerB"],
  submitEntry: OWNERS,
  withdrawEntry: OWNERS,
  disqualifyEntry: ORGANIZER,
  uploadPhotos: OWNERS,
  registerOperations: OWNERS,
  unregisterOperations: OWNERS,
  setApiClientRegisteredOperationsOnly: ORGANIZER,
  uploadVideo: OWNERS,
  startMediaUpload: OWNERS,
  completeMediaUpload: OWNERS,
  removePhoto: OWNERS,
  removeVideo: OWNERS,
  retryVideoRenditions: OWNERS,
  reorderPhotos: OWNERS,
  resolveEntrantCollision: ORGANIZER,
  addExhibitedWorks: EDITORS,
  updateExhibitedWork: EDITORS,
  moveExhibitedWork: EDITORS,
  reorderExhibitedWorks: EDITORS,
  removeExhibitedWork: EDITORS,
  addExhibitionSection: EDITORS,
  updateExhibitionSection: EDITORS,
  removeExhibitionSection: EDITORS,
  createExhibition: EDITORS,
  updateExhibition: EDITORS,
  publishExhibition: EDITORS,
  archiveExhibition: EDITORS,
  likeWork: "everyone",
  unlikeWork: "everyone",
  recordWorkView: "everyone",
  issueToken: "everyone",
  assignJudges: ORGANIZER,
  addAssignment: ORGANIZER,
  removeAssignment: ORGANIZER,
  reassignAssignment: ORGANIZER,
  reassignUnscoredAssignments: ORGANIZER,
  syncRoundGrants: ORGANIZER,
  recuse: ["judge", "organizer"],
  proposeAwards: ORGANIZER,
  addAward: ORGANIZER,
  updateAward: ORGANIZER,
  removeAward: ORGANIZER,
  publishAwards: ORGANIZER,
  unpublishAwards: ORGANIZER,
  createJudge: ORGANIZER,
  updateJudge: ORGANIZER,
  createJudgeLogin: ORGANIZER,
  createRound: ORGANIZER,
  updateRound: ORGANIZER,
  openRound: ORGANIZER,
  closeRound: ORGANIZER,
  submitScore: ["judge"],
  createApiClient: ORGANIZER,
  rotateApiClientSecret: ORGANIZER,
  setApiClientRateLimit: ORGANIZER,
  revokeApiClient: ORGANIZER,
  createDivision: ORGANIZER,
  updateDivision: ORGANIZER,
  createOrganization: ORGANIZER,
  updateOrganization: ORGANIZER,
  createVenue: ORGANIZER,
  updateVenue: ORGANIZER,
  createWebhook: EDITORS,
  updateWebhook: EDITORS,
  pingWebhook: EDITORS,
  replayWebhookDelivery: EDITORS,
};

interface EntityRule {
  representations: (d: Fixture) => Record<string, unknown>[];
  selection: string;
  expect: Expectations;
}
const ENTITIES: Record<string, EntityRule> = {
  "entries:Entry": {
    representations: (d) => [
      { __typename: "Entry", id: d.aDraft },
      { __typename: "Entry", id: d.bAssigned },
    ],
    selection: "... on Entry { id title venue { id } entrant { email } }",
    expect: {
      judge: { sees: ["bAssigned"], hides: ["aDraft", "bAssignedEmail", "venueB"] },
      venueA: { sees: ["aDraft"], hides: ["bAssigned"] },
      partnerA: { sees: ["aDraft"], hides: ["bAssigned"] },
      venueB: { sees: ["bAssigned", "bAssignedEmail"], hides: ["aDraft"] },
      partnerB: { sees: ["bAssigned", "bAssignedEmail"], hides: ["aDraft"] },
      organizer: { sees: ["aDraft", "bAssigned", "bAssignedEmail"] },
      others: "NONE",
    },
  },
  "entries:Venue": {
    representations: (d) => [{ __typename: "Venue", id: d.venueA }],
    selection: "... on Venue { entries(first: 10) { totalCount edges { node { id } } } }",
    expect: {
      public: { sees: ["aPublicRefusing"], hides: ["aAssigned", "aDraft"], totalCount: 1 },
      judge: "DENIED",
      venueA: { sees: ["aAssigned", "aDraft", "aPublicRefusing"], totalCount: 3 },
      partnerA: { sees: ["aAssigned", "aDraft", "aPublicRefusing"], totalCount: 3 },
      venueB: { sees: ["aPublicRefusing"], hides: ["aAssigned", "aDraft"], totalCount: 1 },
      partnerB: { sees: ["aPublicRefusing"], hides: ["aAssigned", "aDraft"], totalCount: 1 },
      organizer: { totalCount: 3 },
    },
  },
  "entries:Competition": {
    representations: () => [{ __typename: "Competition", id: randomUUID() }],
    selection: "... on Competition { id }",
    expect: everyone("NONE"),
  },
  "exhibitions:Entry": {
    representations: (d) => [{ __typename: "Entry", id: d.aAssigned }],
    selection: "... on Entry { exhibitions { id } }",
    expect: { partnerA: { sees: ["draftExhibitionA"] }, organizer: { sees: ["draftExhibitionA"] }, others: "NONE" },
  },
  "exhibitions:Exhibition": {
    representations: (d) => [{ __typename: "Exhibition", id: d.draftExhibitionA }],
    selection: "... on Exhibition { id works(first: 5) { totalCount edges { node { id } } } }",
    expect: { partnerA: { sees: ["draftExhibitionA", "draftWork"] }, organizer: { sees: ["draftExhibitionA", "draftWork"] }, others: "NONE" },
  },
  "exhibitions:Venue": {
    representations: (d) => [{ __typename: "Venue", id: d.venueA }],
    selection: "... on Venue { exhibitions { id } }",
    expect: { partnerA: { sees: ["draftExhibitionA"] }, organizer: { sees: ["draftExhibitionA"] }, others: "NONE" },
  },
  "judging:Entry": {
    representations: (d) => [{ __typename: "Entry", id: d.aAssigned }],
    selection: "... on Entry { scores { id } awards { id } }",
    expect: { judge: { sees: ["score"] }, organizer: { sees: ["score"] }, others: "NONE" },
  },
  "judging:Award": {
    representations: () => [{ __typename: "Award", id: randomUUID() }],
    selection: "... on Award { id entry { id } }",
    expect: everyone("NONE"),
  },
  "judging:Division": {
    representations: (d) => [{ __typename: "Division", id: d.division }],
    selection: "... on Division { id }",
    expect: everyone({ sees: ["division"] }),
  },
  "judging:JudgingRound": {
    representations: (d) => [{ __typename: "JudgingRound", id: d.round }],
    selection: "... on JudgingRound { id assignmentSeed division { id } }",
    expect: { organizer: { sees: ["round"] }, judge: { sees: ["round"], hides: ["division"] }, others: "NONE" },
  },
  "judging:Judge": {
    representations: (d) => [{ __typename: "Judge", id: d.judge }],
    selection: "... on Judge { id email }",
    expect: { organizer: { sees: ["judge", "judgeEmail"] }, judge: { sees: ["judge"], hides: ["judgeEmail"] }, others: "NONE" },
  },
  "judging:Organization": {
    representations: (d) => [{ __typename: "Organization", id: d.orgA }],
    selection: "... on Organization { id }",
    expect: everyone({ sees: ["orgA"] }),
  },
  "judging:Venue": { representations: (d) => [{ __typename: "Venue", id: d.venueA }], selection: "... on Venue { awards { id } }", expect: everyone("NONE") },
  "venues:Division": {
    representations: (d) => [{ __typename: "Division", id: d.division }],
    selection: "... on Division { id venues { id } }",
    expect: everyone({ sees: ["division", "venueA"] }),
  },
  "venues:Venue": {
    representations: (d) => [{ __typename: "Venue", id: d.venueA }],
    selection: "... on Venue { id code }",
    expect: everyone({ sees: ["venueA"] }),
  },
  "venues:Organization": {
    representations: (d) => [{ __typename: "Organization", id: d.orgA }],
    selection: "... on Organization { id venues { id } }",
    expect: everyone({ sees: ["orgA", "venueA"] }),
  },
};

// ---- what the schema asks to be declared -------------------------------------------------------------

const isList = (type: unknown): boolean => isListType(isNonNullType(type as never) ? (type as any).ofType : type);
const isConnection = (type: unknown): boolean => getNamedType(type as GraphQLInputType).name.endsWith("Connection");

/** Coordinates of every read that needs a rule: root fields and their arguments, filter input fields, lists through a parent and all other arguments. */
function requiredReads(schema: GraphQLSchema): string[] {
  const required = new Set<string>();
  const inputFields = (typeName: string) => {
    const type = schema.getType(typeName);
    if (isInputObjectType(type)) for (const field of Object.keys(type.getFields())) required.add(`${type.name}.${field}`);
  };
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    required.add(`Query.${field.name}`);
    for (const argument of field.args) {
      required.add(`Query.${field.name}(${argument.name}:)`);
      inputFields(getNamedType(argument.type).name);
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type) || type === schema.getQueryType() || type === schema.getMutationType()) continue;
    if (/(Connection|Edge)$/.test(type.name) || type.name === "PageInfo") continue;
    for (const field of Object.values(type.getFields())) {
      if (isList(field.type) || isConnection(field.type)) required.add(`${type.name}.${field.name}`);
      for (const argument of field.args) required.add(`${type.name}.${field.name}(${argument.name}:)`);
    }
  }
  return [...required].sort();
}

/** "<subgraph>:<Type>" for every entity a subgraph resolves by reference (a @key that is not resolvable: false). */
function resolvableEntities(): string[] {
  const result: string[] = [];
  for (const name of SUBGRAPH_NAMES) {
    const document = parse(fs.readFileSync(path.join(__dirname, "../../schema", `${name}.graphql`), "utf8"));
    for (const definition of document.definitions) {
      if (!("name" in definition) || !definition.name || !("directives" in definition)) continue;
      const keys = (definition.directives ?? []).filter((directive) => directive.name.value === "key");
      const resolvable = keys.some(
        (key) => !(key.arguments ?? []).some((argument) => argument.name.value === "resolvable" && (argument.value as any).value === false),
      );
      if (keys.length && resolvable) result.push(`${name}:${definition.name.value}`);
    }
  }
  return result.sort();
}

// ---- checking an answer -------------------------------------------------------------------------------

function checkAnswer(label: string, role: RoleName, expectation: Expectation, response: GraphqlResponse, d: Fixture): void {
  const codes = errorCodes(response);
  const text = JSON.stringify(response.data ?? null);
  const fail = (why: string) => {
    throw new Error(
      `${label} as ${role}: ${why}\ncodes ${JSON.stringify(codes)}\ndata ${text.slice(0, 800)}\nerrors ${JSON.stringify(response.errors)?.slice(0, 800)}`,
    );
  };
  const counts = [...text.matchAll(/"totalCount":(\d+)/g)].map((match) => Number(match[1]));
  const leaks = (names: Name[]) => names.filter((name) => d[name] && text.includes(d[name]));
  if (expectation === "DENIED" || expectation === "NONE") {
    const allowed = expectation === "DENIED" ? ["FORBIDDEN", ...(role === "public" ? ["UNAUTHENTICATED"] : [])] : ["NOT_FOUND", "FORBIDDEN"];
    if (expectation === "DENIED" && codes.length === 0) fail("expected a refusal, got an answer");
    if (codes.some((code) => !allowed.includes(code as string))) fail(`unexpected error codes (allowed: ${allowed.join(", ")})`);
    if (leaks(PRIVATE).length) fail(`the answer holds ${leaks(PRIVATE).join(", ")}`);
    if (counts.some((count) => count > 0)) fail("the answer counts something");
    return;
  }
  if (codes.length) fail("expected an answer without errors");
  const missing = (expectation.sees ?? []).filter((name) => !text.includes(d[name]));
  if (missing.length) fail(`the answer should hold ${missing.join(", ")}`);
  if (leaks(expectation.hides ?? []).length) fail(`the answer holds ${leaks(expectation.hides ?? []).join(", ")}`);
  if (expectation.totalCount !== undefined && counts[0] !== expectation.totalCount) fail(`totalCount ${counts[0]}, expected ${expectation.totalCount}`);
}

const expectationFor = (expect: Expectations, role: RoleName): Expectation | undefined => expect[role] ?? expect.others;

/** A value of the given input type, as a client could send it: required fields only, ids that point nowhere. */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sampleValue(field.type)]),
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        return randomUUID();
      case "Int":
      case "Float":
        return 1;
      case "Boolean":
        return true;
      case "DateTime":
        return new Date().toISOString();
      case "JSON":
        return {};
      default:
        return "probe-value";
    }
  }
  return null;
}

describe("visibility contract (generated from the composed schema)", () => {
  let schema: GraphQLSchema;
  let system: TestSystem;
  const fixture = {} as Fixture;
  const tokens = {} as Record<RoleName, string | undefined>;

  beforeAll(async () => {
    schema = await loadApiSchema();
  });

  describe("declarations", () => {
    it("declares a rule for every root field, argument, filter field and list reached through a parent", () => {
      const declared = new Set([...READS.flatMap((rule) => rule.covers), ...Object.keys(PRESENTATION_ONLY)]);
      // The list names each read to declare: add a READS row (or a `covers` entry) as the header explains.
      expect(requiredReads(schema).filter((coordinate) => !declared.has(coordinate))).toEqual([]);
    });

    it("declares who may call every mutation", () => {
      const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
      expect(mutations.filter((name) => !(name in WRITES))).toEqual([]);
    });

    it("declares the _entities path of every entity each subgraph resolves", () => {
      expect(resolvableEntities().filter((key) => !(key in ENTITIES))).toEqual([]);
    });

    it("declares nothing the schema no longer has (a rename cannot leave a rule behind)", () => {
      const required = new Set([...requiredReads(schema)]);
      const stale = [...READS.flatMap((rule) => rule.covers), ...Object.keys(PRESENTATION_ONLY)].filter((coordinate) => !required.has(coordinate));
      const staleWrites = Object.keys(WRITES).filter((name) => !schema.getMutationType()!.getFields()[name]);
      const staleEntities = Object.keys(ENTITIES).filter((key) => !resolvableEntities().includes(key));
      expect([...stale, ...staleWrites, ...staleEntities]).toEqual([]);
    });
  });

  describe("against data made for it", () => {
    beforeAll(async () => {
      system = await startSystem();
      const { venues, entries, judging } = system.dataSources;
      await seedCompetition(entries);
      const division = await seedDivision(venues);
      const venueA = await seedVenue(venues, { divisionId: division.id, country: "PT" });
      const venueB = await seedVenue(venues, { country: "CN" });
      const a = { venueId: venueA.id, organizationId: venueA.organizationId };
      const b = { venueId: venueB.id, organizationId: venueB.organizationId };
      const aAssignedEmail = `${unique("a-").toLowerCase()}@example.org`;
      const bAssignedEmail = `${unique("b-").toLowerCase()}@example.org`;
      const aAssigned = await seedEntry(entries, { ...a, country: "PT", entrantEmail: aAssignedEmail });
      const bAssigned = await seedEntry(entries, { ...b, country: "CN", entrantEmail: bAssignedEmail });
      const aDraft = await seedEntry(entries, { ...a, status: EntryStatus.DRAFT, kind: EntryKind.MICRO_VIDEO });
      // Only the row matters to the rules (no byte is sent): who may see the upload and its part URLs.
      const aUpload = await insertUpload(entries.manager, {
        entryId: aDraft.id,
        objectKey: `videos/test/${randomUUID()}.mp4`,
        storageUploadId: "contract",
        contentType: "video/mp4",
        byteSize: 6 * 1024 * 1024,
        partBytes: 5 * 1024 * 1024,
        createdBy: "contract",
        expiresAt: new Date(Date.now() + 24 * 3_600_000),
      });
      // Public entries are in another theme, so the judging round (NATURE) leaves them out.
      const aPublicRefusing = await seedEntry(entries, { ...a, country: "ES", consentToPublication: false, themeCode: "TECHNOLOGY" as never });
      const bPublic = await seedEntry(entries, { ...b, country: "PT", themeCode: "TECHNOLOGY" as never });
      await makePublic(entries, [aPublicRefusing.id]);
      // A READY video on the judge's assigned entry (no file behind it: the rules are about who gets a URL).
      await entries.getRepository(MicroVideo).save({
        entryId: aAssigned.id,
        durationSeconds: 1,
        width: 320,
        height: 240,
        contentType: "video/mp4",
        byteSize: 1000,
        sha256: randomUUID().replace(/-/g, "").padEnd(64, "0"),
        videoKey: `videos/test/${randomUUID()}.mp4`,
        posterKey: null,
        status: MediaStatus.READY,
      });

      const judgeEmail = `${unique("judge-").toLowerCase()}@example.org`;
      const judge = await seedJudge(judging, { email: judgeEmail });
      const api = judgingApi(system.urls.judging);
      const round = await api.createRound({ name: `Contract ${unique()}`, kind: "SCORE", theme: "NATURE", quorum: 1 });
      ok(await api.assignJudges({ roundId: round.id, judgeIds: [judge.id], quorum: 1, seed: "contract" }));
      await api.openRound(round.id);
      const score = ok(await api.submitScore(judge.id, { roundId: round.id, entryId: aAssigned.id, value: 7 })).submitScore;

      const published = await seedExhibition(system, {
        status: ExhibitionStatus.PUBLISHED,
        organizationId: venueB.organizationId,
        hostVenueIds: [venueB.id],
        entryIds: [bPublic.id],
      });
      const draft = await seedExhibition(system, {
        status: ExhibitionStatus.DRAFT,
        organizationId: venueA.organizationId,
        hostVenueIds: [venueA.id],
        entryIds: [aAssigned.id],
      });
      Object.assign(fixture, {
        venueA: venueA.id,
        venueACode: venueA.code,
        orgA: venueA.organizationId,
        division: division.id,
        venueB: venueB.id,
        orgB: venueB.organizationId,
        aAssigned: aAssigned.id,
        aDraft: aDraft.id,
        aUpload: aUpload.id,
        aPublicRefusing: aPublicRefusing.id,
        bAssigned: bAssigned.id,
        bPublic: bPublic.id,
        aAssignedEmail,
        bAssignedEmail,
        judge: judge.id,
        judgeEmail,
        round: round.id,
        score: score.id,
        publishedExhibition: published.exhibition.id,
        publishedSlug: published.exhibition.slug,
        publishedSection: published.works[0].sectionId ?? "",
        publishedWork: published.works[0].id,
        draftExhibitionA: draft.exhibition.id,
        draftWork: draft.works[0].id,
      } satisfies Fixture);
      Object.assign(tokens, {
        public: undefined,
        judge: judgeToken(judge.id),
        venueA: tokenFor({ role: "VENUE", org: venueA.organizationId, venues: [venueA.id] }),
        venueB: tokenFor({ role: "VENUE", org: venueB.organizationId, venues: [venueB.id] }),
        partnerA: tokenFor({ role: "PARTNER", org: venueA.organizationId, venues: [venueA.id] }),
        partnerB: tokenFor({ role: "PARTNER", org: venueB.organizationId, venues: [venueB.id] }),
        organizer: organizerToken(),
      });
    });
    afterAll(() => system?.stop());

    const readCases = READS.flatMap((rule) => ROLES.map((role) => [`${rule.covers[0]} (${rule.covers.length} coordinates)`, role, rule] as const));
    it.each(readCases)("read %s as %s", async (label, role, rule) => {
      const expectation = expectationFor(rule.expect, role);
      if (!expectation) throw new Error(`${label}: no expectation for ${role}; add it or "others"`);
      const response = await graphql(system.gatewayUrl, rule.query, { variables: rule.variables?.(fixture) ?? {}, token: tokens[role] });
      checkAnswer(label, role, expectation, response, fixture);
    });

    const entityCases = Object.entries(ENTITIES).flatMap(([key, rule]) => ROLES.map((role) => [key, role, rule] as const));
    it.each(entityCases)("_entities %s as %s", async (key, role, rule) => {
      const subgraph = key.split(":")[0] as SubgraphName;
      const response = await entities(system.urls[subgraph], rule.representations(fixture), rule.selection, tokens[role]);
      // A probe whose field no longer exists would be refused by validation, which is not a denial.
      expect(errorCodes(response)).not.toContain("GRAPHQL_VALIDATION_FAILED");
      checkAnswer(`_entities ${key}`, role, expectationFor(rule.expect, role)!, response, fixture);
    });

    it("refuses every mutation to the roles that may not call it, with arguments built from the schema", async () => {
      const problems: string[] = [];
      for (const field of Object.values(schema.getMutationType()!.getFields())) {
        const gate = WRITES[field.name];
        if (!gate || gate === "everyone") continue;
        // Uploads are multipart requests; tests/adversarial/tenants.test.ts sends them.
        if (field.args.some((argument) => getNamedType(argument.type).name === "Upload")) continue;
        const declarations = field.args.map((argument) => `$${argument.name}: ${argument.type.toString()}`).join(", ");
        const call = field.args.map((argument) => `${argument.name}: $${argument.name}`).join(", ");
        const selection = isObjectType(getNamedType(field.type)) ? " { __typename }" : "";
        const query = `mutation${declarations ? `(${declarations})` : ""} { ${field.name}${call ? `(${call})` : ""}${selection} }`;
        const variables = Object.fromEntries(field.args.map((argument) => [argument.name, sampleValue(argument.type)]));
        for (const role of ROLES.filter((candidate) => !gate.includes(candidate))) {
          const response = await graphql(system.gatewayUrl, query, { variables, token: tokens[role] });
          const codes = errorCodes(response);
          const refused = codes.length > 0 && codes.every((code) => ["FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND"].includes(code as string));
          if (!refused || (response.data && response.data[field.name] != null)) problems.push(`${field.name} as ${role}: ${JSON.stringify(codes)}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
