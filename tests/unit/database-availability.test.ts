// What counts as "the database is away" (SERVICE_UNAVAILABLE, retry) rather than a bug (INTERNAL_SERVER_ERROR).
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, QueryFailedError } from "typeorm";
import { isDatabaseUnavailable } from "../../lib/database-availability";

const pgError = (code: string, message = "failed") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("knows PostgreSQL's own codes for shutdown, start-up, cancelled statements and lost connections", () => {
    for (const code of ["57P01", "57P03", "57014", "53300", "08006"]) expect(isDatabaseUnavailable(pgError(code))).toBe(true);
  });

  it("knows a refused or reset socket", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET"]) expect(isDatabaseUnavailable(pgError(code))).toBe(true);
  });

  it("knows a transaction whose connection the pool dropped while PostgreSQL restarted (TypeORM's released query runner)", () => {
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
  });

  it("looks inside TypeORM's wrapper", () => {
    expect(isDatabaseUnavailable(new QueryFailedError("SELECT 1", [], pgError("57P01")))).toBe(true);
  });

  it("leaves a wrong statement or a broken rule to be an internal error", () => {
    expect(isDatabaseUnavailable(pgError("23505", "duplicate key"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("42P01", "relation does not exist"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("Cannot read properties of undefined"))).toBe(false);
  });
});
