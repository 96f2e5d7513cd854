// Credential state changes that run at the same time (issue #19, class 1), and failed logins throttled per client
// id and per address (class 5). Each change is one conditional statement: concurrent rotate and revoke never bring
// a revoked client back; of two rotations at once exactly one secret works and the other caller is told so.
import jwt from "jsonwebtoken";
import { config, setConfig } from "../../lib/config";
import { pollRevokedClients } from "../../lib/revocation-client";
import { RevocationList } from "../../lib/revocation";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

const organizer = () => tokenFor({ role: "ORGANIZER" });

describe("credential state changes at the same time", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues"] });
  });
  afterAll(() => system.stop());

  async function createClient() {
    const venue = await seedVenue(system.dataSources.venues);
    const response = await graphql(
      system.gatewayUrl,
      `
        mutation ($input: CreateApiClientInput!) {
          createApiClient(input: $input) {
            clientSecret
            client {
              id
              clientId
            }
          }
        }
      `,
      { variables: { input: { name: "Race site", role: "VENUE", venueId: venue.id } }, token: organizer() },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createApiClient as { clientSecret: string; client: { id: string; clientId: string } };
  }

  const issue = (clientId: string, clientSecret: string, headers?: Record<string, string>) =>
    graphql(
      system.gatewayUrl,
      `
        mutation ($id: String!, $secret: String!) {
          issueToken(clientId: $id, clientSecret: $secret) {
            accessToken
          }
        }
      `,
      {
        variables: { id: clientId, secret: clientSecret },
        headers,
      },
    );
  const rotate = (id: string, grace: number) =>
    graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!, $grace: Int!) {
          rotateApiClientSecret(id: $id, graceSeconds: $grace) {
            clientSecret
          }
        }
      `,
      {
        variables: { id, grace },
        token: organizer(),
      },
    );
  const revoke = (id: string) =>
    graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!) {
          revokeApiClient(id: $id) {
            revokedAt
          }
        }
      `,
      { variables: { id }, token: organizer() },
    );
  const revokedAt = async (id: string) =>
    (
      await graphql(
        system.gatewayUrl,
        `
          {
            apiClients {
              id
              revokedAt
            }
          }
        `,
        { token: organizer() },
      )
    ).data!.apiClients.find((c: { id: string }) => c.id === id).revokedAt;

  it("a revocation survives a rotation that runs at the same time, whichever lands first", async () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const { client } = await createClient();
      // The revoke is sent a few milliseconds into the rotation, while the new secret is being hashed.
      const rotation = rotate(client.id, 3600);
      await new Promise((resolve) => setTimeout(resolve, attempt * 8));
      const revocation = await revoke(client.id);
      const rotated = await rotation;
      expect(revocation.errors).toBeUndefined();
      expect(await revokedAt(client.id)).toBe(revocation.data!.revokeApiClient.revokedAt);
      // If the rotation won the race its secret was issued, but it cannot log the revoked client in.
      if (!rotated.errors) expect(errorCodes(await issue(client.clientId, rotated.data!.rotateApiClientSecret.clientSecret))).toEqual(["UNAUTHENTICATED"]);
      else expect(errorCodes(rotated)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("of two rotations at once, exactly one succeeds and its secret works; the other is told CONFLICT", async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const { client, clientSecret } = await createClient();
      const results = await Promise.all([rotate(client.id, 0), rotate(client.id, 0)]);
      const succeeded = results.filter((result) => !result.errors);
      const failed = results.filter((result) => result.errors);
      expect(succeeded.length).toBeGreaterThanOrEqual(1);
      for (const result of failed) expect(errorCodes(result)).toEqual(["CONFLICT"]);
      // Every secret a caller was given works if it is the latest; when both succeeded (one after the other), the later one.
      const secrets = succeeded.map((result) => result.data!.rotateApiClientSecret.clientSecret as string);
      const working = [];
      for (const secret of secrets) if (!(await issue(client.clientId, secret)).errors) working.push(secret);
      expect(working).toHaveLength(1);
      if (succeeded.length === 1) expect(working).toEqual(secrets);
      expect(errorCodes(await issue(client.clientId, clientSecret))).toEqual(["UNAUTHENTICATED"]);
    }
  });

  it("another process learns a revocation at its next refresh", async () => {
    const saved = config();
    setConfig({ ...saved, revocationPollSeconds: 1 });
    // A second process's list, refreshed from the venues subgraph as every service's is.
    const other = new RevocationList();
    const poller = pollRevokedClients("other-process", other);
    try {
      const { client, clientSecret } = await createClient();
      const token = (await issue(client.clientId, clientSecret)).data!.issueToken.accessToken as string;
      const { iat } = jwt.decode(token) as { iat: number };
      await poller.refresh();
      expect(other.isRevoked(client.clientId, iat)).toBe(false);
      expect((await revoke(client.id)).errors).toBeUndefined();
      await poller.refresh();
      expect(other.isRevoked(client.clientId, iat)).toBe(true);
    } finally {
      poller.stop();
      setConfig(saved);
    }
  });

  describe("failed logins", () => {
    it("are throttled per client id: the right secret is refused too once the client id is locked", async () => {
      const saved = config();
      setConfig({ ...saved, loginThrottle: { failuresPerClient: 3, failuresPerAddress: 1000, windowSeconds: 600 } });
      try {
        const { client, clientSecret } = await createClient();
        for (let i = 0; i < 3; i++) expect(errorCodes(await issue(client.clientId, "wrong"))).toEqual(["UNAUTHENTICATED"]);
        const locked = await issue(client.clientId, clientSecret);
        expect(errorCodes(locked)).toEqual(["RATE_LIMITED"]);
        expect(locked.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
        // Another client is not affected.
        const other = await createClient();
        expect((await issue(other.client.clientId, other.clientSecret)).errors).toBeUndefined();
      } finally {
        setConfig(saved);
      }
    });

    it("are throttled per address, IPv6 by prefix: guesses at many client ids from one /64 share a budget", async () => {
      const saved = config();
      setConfig({ ...saved, loginThrottle: { failuresPerClient: 1000, failuresPerAddress: 4, windowSeconds: 600 }, trustProxy: "loopback" });
      try {
        const from = (suffix: string) => ({ "x-forwarded-for": `2001:db8:77:1::${suffix}` });
        for (let i = 0; i < 4; i++) expect(errorCodes(await issue(`guess-${i}`, "wrong", from(String(i + 1))))).toEqual(["UNAUTHENTICATED"]);
        const { client, clientSecret } = await createClient();
        expect(errorCodes(await issue(client.clientId, clientSecret, from("99")))).toEqual(["RATE_LIMITED"]);
        // Another /64 is another address.
        expect((await issue(client.clientId, clientSecret, { "x-forwarded-for": "2001:db8:77:2::1" })).errors).toBeUndefined();
      } finally {
        setConfig(saved);
      }
    });
  });
});
