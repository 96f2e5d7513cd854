// Prints a valid token for local work: npm run token -- --role VENUE --venue <id> --org <id> [--ttl 3600]
import { Role, signToken } from "../lib/auth";

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const role = (argument("role") ?? "ORGANIZER").toUpperCase();
if (!Object.values(Role).includes(role as Role)) {
  process.stderr.write(`--role must be one of ${Object.values(Role).join(", ")}\n`);
  process.exit(2);
}
const venues = argument("venue")?.split(",");
const organization = argument("org");
const judge = argument("judge");
if ((role === Role.VENUE || role === Role.PARTNER) && !organization) {
  process.stderr.write(
    `A ${role} token needs --org <organisation id>${role === Role.VENUE ? " and --venue <venue id>" : " (and --venue <ids> for its venues)"}\n`,
  );
  process.exit(2);
}
if (role === Role.VENUE && !venues) {
  process.stderr.write("A VENUE token needs --venue <venue id>\n");
  process.exit(2);
}
if (role === Role.JUDGE && !judge) {
  process.stderr.write("A JUDGE token needs --judge <judge id>\n");
  process.exit(2);
}
const ttl = argument("ttl");
const { token, expiresAt } = signToken(
  { sub: `cli:${role.toLowerCase()}`, role: role as Role, org: organization, venues, judge },
  ttl ? Number(ttl) : undefined,
);
process.stdout.write(`${token}\n`);
process.stderr.write(`(${role} token, expires ${expiresAt.toISOString()})\n`);
