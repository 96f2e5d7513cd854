// Responsible for branch venues and stations: public reads, organiser-only writes.
import { DataSource } from "typeorm";
import { isUniqueViolation } from "../../../lib/database";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy } from "../venues.visibility";
import { parseCountry } from "../../../lib/country";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { optionalText, requiredText } from "../../../lib/text";
import { VenuesLoaders } from "../loaders";
import { Region, Venue } from "./venue.entity";
import { CreateVenueInput, UpdateVenueInput, VenueFilter } from "./venue.inputs";

const CODE = /^[A-Z0-9](?:[A-Z0-9-]{0,30}[A-Z0-9])?$/;

export class VenueService {
  private readonly repository;

  constructor(
    dataSource: DataSource,
    private readonly loaders: VenuesLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(Venue);
  }

  list(filter: VenueFilter | null | undefined, args: PageArgs): Promise<Page<Venue>> {
    const query = this.repository.createQueryBuilder("venue");
    if (filter?.region) query.andWhere("venue.region = :region", { region: filter.region });
    if (filter?.kind) query.andWhere("venue.kind = :kind", { kind: filter.kind });
    if (filter?.country) query.andWhere("venue.country = :country", { country: parseCountry(filter.country, "filter.country") });
    if (filter?.organizationId) {
      query.andWhere("venue.organization_id = :organizationId", { organizationId: parseId(filter.organizationId, "filter.organizationId") });
    }
    if (filter?.divisionId) query.andWhere("venue.division_id = :divisionId", { divisionId: parseId(filter.divisionId, "filter.divisionId") });
    return keysetPage(query, { columns: ["venue.code", "venue.id"], direction: "ASC", cursorOf: (v) => [v.code, v.id] }, args);
  }

  async get(id: string | null | undefined, code: string | null | undefined): Promise<Venue | null> {
    if ((id == null) === (code == null)) throw badInput("Pass exactly one of id or code.");
    if (id != null) return (await this.loaders.venue.load(parseId(id, "id"))) ?? null;
    return this.repository.findOneBy({ code: String(code).trim().toUpperCase() });
  }

  private async checkReferences(organizationId: string, divisionId: string | null): Promise<void> {
    if (!(await this.loaders.organization.load(organizationId))) throw notFound("Organization", organizationId);
    if (divisionId && !(await this.loaders.division.load(divisionId))) throw notFound("Division", divisionId);
  }

  async create(input: CreateVenueInput): Promise<Venue> {
    venuesPolicy.assertCan(this.context, "venue:manage");
    const code = String(input.code).trim().toUpperCase();
    if (!CODE.test(code)) throw badInput('code must be 2 to 32 upper-case letters, digits and dashes, e.g. "PT-LIS-EYE".', { argument: "code" });
    const country = parseCountry(input.country, "country");
    const organizationId = parseId(input.organizationId, "organizationId");
    const divisionId = input.divisionId ? parseId(input.divisionId, "divisionId") : null;
    await this.checkReferences(organizationId, divisionId);
    const venue = this.repository.create({
      code,
      name: requiredText(input.name, "name"),
      kind: input.kind,
      country,
      region: country === "CN" ? Region.DOMESTIC : Region.OVERSEAS,
      city: optionalText(input.city, "city", 200),
      organizationId,
      divisionId,
    });
    try {
      return await this.repository.save(venue);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A venue with code ${code} already exists.`, { argument: "code" });
      throw error;
    }
  }

  async update(input: UpdateVenueInput): Promise<Venue> {
    venuesPolicy.assertCan(this.context, "venue:manage");
    const venue = await this.repository.findOneBy({ id: parseId(input.id, "id") });
    if (!venue) throw notFound("Venue", input.id);
    if (input.name != null) venue.name = requiredText(input.name, "name");
    if (input.kind != null) venue.kind = input.kind;
    if (input.city !== undefined) venue.city = optionalText(input.city, "city", 200);
    if (input.organizationId != null) venue.organizationId = parseId(input.organizationId, "organizationId");
    if (input.divisionId !== undefined) venue.divisionId = input.divisionId ? parseId(input.divisionId, "divisionId") : null;
    await this.checkReferences(venue.organizationId, venue.divisionId);
    return this.repository.save(venue);
  }
}
