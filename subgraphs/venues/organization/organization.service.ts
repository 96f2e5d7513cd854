// Responsible for partner organisations: public reads, organiser-only writes.
import { DataSource } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy } from "../venues.visibility";
import { parseCountry } from "../../../lib/country";
import { badInput, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { optionalText, requiredText } from "../../../lib/text";
import { VenuesLoaders } from "../loaders";
import { Organization } from "./organization.entity";
import { CreateOrganizationInput, UpdateOrganizationInput } from "./organization.inputs";

function parseWebsite(value: string | null | undefined): string | null {
  const text = optionalText(value, "website", 500);
  if (text === null) return null;
  try {
    const url = new URL(text);
    if (url.protocol === "https:" || url.protocol === "http:") return url.toString();
  } catch {
    // fall through
  }
  throw badInput("website must be an http(s) URL.", { argument: "website" });
}

export class OrganizationService {
  private readonly repository;

  constructor(
    dataSource: DataSource,
    private readonly loaders: VenuesLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(Organization);
  }

  list(args: PageArgs): Promise<Page<Organization>> {
    const query = this.repository.createQueryBuilder("organization");
    return keysetPage(query, { columns: ["organization.name", "organization.id"], direction: "ASC", cursorOf: (o) => [o.name, o.id] }, args);
  }

  async get(id: string): Promise<Organization | null> {
    return (await this.loaders.organization.load(parseId(id, "id"))) ?? null;
  }

  async create(input: CreateOrganizationInput): Promise<Organization> {
    venuesPolicy.assertCan(this.context, "organization:manage");
    const organization = this.repository.create({
      name: requiredText(input.name, "name"),
      kind: input.kind,
      country: parseCountry(input.country, "country"),
      website: parseWebsite(input.website),
    });
    return this.repository.save(organization);
  }

  async update(input: UpdateOrganizationInput): Promise<Organization> {
    venuesPolicy.assertCan(this.context, "organization:manage");
    const organization = await this.repository.findOneBy({ id: parseId(input.id, "id") });
    if (!organization) throw notFound("Organization", input.id);
    if (input.name != null) organization.name = requiredText(input.name, "name");
    if (input.kind != null) organization.kind = input.kind;
    if (input.country != null) organization.country = parseCountry(input.country, "country");
    if (input.website !== undefined) organization.website = parseWebsite(input.website);
    return this.repository.save(organization);
  }
}
