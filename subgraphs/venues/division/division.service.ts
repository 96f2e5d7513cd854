// Responsible for regional divisions: public reads, organiser-only writes.
import { DataSource } from "typeorm";
import { isUniqueViolation } from "../../../lib/database";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy } from "../venues.visibility";
import { parseCountry } from "../../../lib/country";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { requiredText } from "../../../lib/text";
import { VenuesLoaders } from "../loaders";
import { Division } from "./division.entity";
import { CreateDivisionInput, UpdateDivisionInput } from "./division.inputs";

export class DivisionService {
  private readonly repository;

  constructor(
    dataSource: DataSource,
    private readonly loaders: VenuesLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(Division);
  }

  list(): Promise<Division[]> {
    return this.repository.find({ order: { code: "ASC" } });
  }

  async get(id: string): Promise<Division | null> {
    return (await this.loaders.division.load(parseId(id, "id"))) ?? null;
  }

  async create(input: CreateDivisionInput): Promise<Division> {
    venuesPolicy.assertCan(this.context, "division:manage");
    const code = String(input.code).trim().toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9-]{1,31}$/.test(code)) throw badInput("code must be 2 to 32 upper-case letters, digits and dashes.", { argument: "code" });
    const division = this.repository.create({
      code,
      name: requiredText(input.name, "name"),
      country: input.country ? parseCountry(input.country, "country") : null,
    });
    try {
      return await this.repository.save(division);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A division with code ${code} already exists.`, { argument: "code" });
      throw error;
    }
  }

  async update(input: UpdateDivisionInput): Promise<Division> {
    venuesPolicy.assertCan(this.context, "division:manage");
    const division = await this.repository.findOneBy({ id: parseId(input.id, "id") });
    if (!division) throw notFound("Division", input.id);
    if (input.name != null) division.name = requiredText(input.name, "name");
    if (input.country !== undefined) division.country = input.country ? parseCountry(input.country, "country") : null;
    return this.repository.save(division);
  }
}
