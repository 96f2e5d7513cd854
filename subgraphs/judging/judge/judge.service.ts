// Responsible for judges: who may see them, creating and changing them with their affiliations, and their logins.
import { VenuesClient } from "../../../lib/clients/venues";
import { DataSource } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { judgingPolicy, maySeeJudge, maySeeJudgeContact } from "../judging.visibility";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { optionalText, requiredText } from "../../../lib/text";
import { JudgingLoaders } from "../loaders";
import { conflictingAssignmentCount } from "../assignment/assignment.store";
import { Judge } from "./judge.entity";
import { CreateJudgeInput, UpdateJudgeInput } from "./judge.inputs";
import { JudgeLogin } from "./judge.types";

const venuesClient = new VenuesClient("judging");

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;

export class JudgeService {
  private readonly repository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: JudgingLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(Judge);
  }

  /** Organisers see every judge; a judge sees themself. */
  mayView(judge: Judge): boolean {
    return maySeeJudge(this.context.viewer, judge);
  }

  /** The judge's contact e-mail: organisers only. */
  emailOf(judge: Judge): string | null {
    return maySeeJudgeContact(this.context.viewer) ? judge.email : null;
  }

  /** A judge by id when the caller may see it (root field and _entities alike); null otherwise. */
  async get(id: string): Promise<Judge | null> {
    const judge = await this.loaders.judge.load(id);
    return judge && this.mayView(judge) ? judge : null;
  }

  list(args: PageArgs): Promise<Page<Judge>> {
    judgingPolicy.assertCan(this.context, "judge:manage");
    return keysetPage(
      this.repository.createQueryBuilder("judge"),
      { columns: ["judge.name", "judge.id"], direction: "ASC", cursorOf: (j) => [j.name, j.id] },
      args,
    );
  }

  /** The caller's own judge record (judge tokens). */
  async me(): Promise<Judge> {
    const viewer = judgingPolicy.assertCan(this.context, "judge:read-own");
    const judge = await this.loaders.judge.load(viewer.judgeId!);
    if (!judge) throw notFound("Judge", viewer.judgeId);
    return judge;
  }

  private email(value: string | null | undefined): string | null {
    const email = optionalText(value, "email", 320)?.toLowerCase() ?? null;
    if (email !== null && !EMAIL.test(email)) throw badInput("email must be an e-mail address.", { argument: "email" });
    return email;
  }

  /** Checks affiliation ids are well formed and exist in the venues subgraph (NOT_FOUND names the first missing one). */
  private async affiliations(organizationIds: string[], venueIds: string[]): Promise<{ organizationIds: string[]; venueIds: string[] }> {
    if (organizationIds.length > 50) throw badInput("At most 50 organizationIds.", { argument: "organizationIds" });
    if (venueIds.length > 100) throw badInput("At most 100 venueIds.", { argument: "venueIds" });
    const organizations = [...new Set(organizationIds.map((id) => parseId(id, "organizationIds")))].sort();
    const venues = [...new Set(venueIds.map((id) => parseId(id, "venueIds")))].sort();
    const [foundOrganizations, foundVenues] = await Promise.all([venuesClient.existing("Organization", organizations), venuesClient.existing("Venue", venues)]);
    const missingOrganization = organizations.find((id) => !foundOrganizations.has(id));
    if (missingOrganization) throw notFound("Organization", missingOrganization);
    const missingVenue = venues.find((id) => !foundVenues.has(id));
    if (missingVenue) throw notFound("Venue", missingVenue);
    return { organizationIds: organizations, venueIds: venues };
  }

  async create(input: CreateJudgeInput): Promise<Judge> {
    judgingPolicy.assertCan(this.context, "judge:manage");
    const name = requiredText(input.name, "name");
    const email = this.email(input.email);
    const affiliations = await this.affiliations(input.organizationIds ?? [], input.venueIds ?? []);
    return this.repository.save(this.repository.create({ name, email, ...affiliations }));
  }

  async update(input: UpdateJudgeInput): Promise<Judge> {
    judgingPolicy.assertCan(this.context, "judge:manage");
    const judge = await this.repository.findOneBy({ id: parseId(input.id, "id") });
    if (!judge) throw notFound("Judge", input.id);
    if (input.name != null) judge.name = requiredText(input.name, "name");
    if (input.email !== undefined) judge.email = this.email(input.email);
    if (input.organizationIds != null || input.venueIds != null) {
      const affiliations = await this.affiliations(input.organizationIds ?? judge.organizationIds, input.venueIds ?? judge.venueIds);
      // A new affiliation must not leave the judge holding entries they now have a conflict with.
      const count = await conflictingAssignmentCount(this.dataSource, judge.id, affiliations);
      if (count > 0) {
        throw conflict(
          `The judge holds ${count} assignments in rounds not yet closed that these affiliations would conflict with; remove or reassign them first.`,
          {
            conflictingAssignments: count,
          },
        );
      }
      Object.assign(judge, affiliations);
    }
    return this.repository.save(judge);
  }

  /** Creates the judge's login as a JUDGE API client in the venues subgraph. */
  async createLogin(judgeId: string, name: string | null | undefined): Promise<JudgeLogin> {
    judgingPolicy.assertCan(this.context, "judge:manage");
    const judge = await this.loaders.judge.load(parseId(judgeId, "judgeId"));
    if (!judge) throw notFound("Judge", judgeId);
    const client = await venuesClient.createJudgeApiClient(judge.id, optionalText(name, "name") ?? `Judge ${judge.name}`);
    return { judge, apiClientId: client.id, clientId: client.clientId, clientSecret: client.clientSecret };
  }
}
