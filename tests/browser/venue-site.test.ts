// Browser tests: Debian's Chromium, driven by playwright-core, against the real system with the demo data:
// the example venue site end to end (log in, create, upload two photos, submit, see it listed; a video sent
// resumably across a cut connection) and the explorer.
// Screenshots of each step go to tests/browser/screenshots/ (git-ignored). Code run in the page is passed as strings:
// the project's TypeScript settings have no DOM types.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, BrowserContext, Page } from "playwright-core";
import { startVenueSite, RunningVenueSite } from "../../examples/venue-site/server";
import { loadDemoDataIfEmpty } from "../../scripts/demo-data";
import { makeJpeg, makeVideo } from "../../subgraphs/entries/media/fixtures";
import { startSystem, TestSystem } from "../kit/system";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => fs.existsSync(candidate));
const SCREENSHOTS = path.join(__dirname, "screenshots");
if (!CHROMIUM) {
  // Only a machine without Chromium skips; .ci/run installs it (apt-get install -y chromium).
  console.warn("Browser tests skipped: no Chromium at /usr/bin/chromium. Install it with `apt-get install -y chromium`.");
}
const describeWithChromium = CHROMIUM ? describe : describe.skip;

describeWithChromium("in a browser", () => {
  let system: TestSystem;
  let site: RunningVenueSite;
  let browser: BrowserContext;
  let userDataDir: string;
  let page: Page;
  const pageErrors: string[] = [];
  let foreignRequests: string[] = [];

  beforeAll(async () => {
    system = await startSystem({ env: { MEDIA_UPLOAD_PART_BYTES: String(5 * 1024 * 1024) } });
    await loadDemoDataIfEmpty(system.dataSources);
    site = await startVenueSite({ gatewayUrl: system.gatewayUrl, port: 0 });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-chromium-"));
    // A fresh profile each run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await system?.stop();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // Each test starts logged out: the profile persists across tests, and with it the site's session cookie.
    await browser.clearCookies();
    page = await browser.newPage();
    pageErrors.length = 0;
    foreignRequests = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });
  afterEach(async () => {
    await page?.close();
  });

  const gatewayQuery = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> =>
    (
      await fetch(system.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      })
    ).json();
  const venueToken = async (): Promise<string> =>
    (await gatewayQuery(`mutation { issueToken(clientId: "demo-venue", clientSecret: "demo-venue-secret") { accessToken } }`)).data.issueToken.accessToken;

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it("submits an entry with two photos through the example venue site", async () => {
    const photos = [await makeJpeg({ width: 2400, height: 1600, hue: 140 }), await makeJpeg({ width: 2000, height: 1600, hue: 300 })];
    await page.goto(site.url);
    await page.waitForSelector("#login:not([hidden])");
    await page.fill("[name=clientId]", "demo-venue");
    await page.fill("[name=clientSecret]", "demo-venue-secret");
    await shot("venue-site-1-login");
    await page.click("#login button[type=submit]");
    await page.waitForSelector("#app:not([hidden])");
    await page.waitForSelector("[name=theme] option", { state: "attached" });
    await page.waitForSelector("#entries tbody tr");
    expect(await page.textContent("#who")).toContain("PT-LIS-EYE");
    // The token and the secret stay on the site's server: the page holds only an HttpOnly session cookie.
    const cookies = await page.context().cookies(site.url);
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly])).toEqual([["venue_site_session", true]]);
    expect(await page.evaluate("document.cookie")).toBe("");
    await shot("venue-site-2-logged-in");

    const title = `Fado night in Mouraria ${Date.now()}`;
    await page.fill("[name=entrantName]", "Inês Costa");
    await page.fill("[name=entrantEmail]", `ines.costa.${Date.now()}@example.org`);
    await page.fill("[name=entrantCountry]", "PT");
    await page.fill("[name=title]", title);
    await page.fill("[name=description]", "Musicians from Lisbon and Guangzhou share a stage.");
    await page.selectOption("[name=theme]", "EXCHANGES");
    await page.selectOption("[name=kind]", "PHOTO_SET");
    await page.setInputFiles("[name=files]", photos);
    await page.check("[name=consentToRules]");
    await page.check("[name=declaresNoGenerativeAi]");
    await page.check("[name=consentToPublication]");
    await shot("venue-site-3-filled-in");

    await page.click("#entry button[type=submit]");
    await page.waitForFunction(`/is SUBMITTED/.test(document.querySelector("#message").textContent)`, undefined, { timeout: 60_000 });
    // The progress bar reached the end of the upload.
    expect(await page.evaluate(`document.querySelector("#upload-progress").value`)).toBe(100);
    const row = page.locator("#entries tbody tr", { hasText: title });
    await row.waitFor();
    expect(await row.locator("td.status").textContent()).toBe("SUBMITTED");
    await shot("venue-site-4-submitted");

    // The entry really is in the API, submitted, with both photos.
    const entryId = await row.getAttribute("data-entry-id");
    const [{ status, photos: photoCount }] = await system.dataSources.entries.query(
      `SELECT status, (SELECT count(*)::int FROM entries.photo WHERE entry_id = e.id) AS photos FROM entries.entry e WHERE id = $1`,
      [entryId],
    );
    expect({ status, photoCount }).toEqual({ status: "SUBMITTED", photoCount: 2 });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("uploads a video resumably through the example venue site, surviving a connection cut in the middle", async () => {
    // A real MP4 grown past three parts (MEDIA_UPLOAD_PART_BYTES is 5 MiB here) with a trailing free box.
    const video = fs.readFileSync(await makeVideo({ seconds: 3, width: 320, height: 240 }));
    const padding = Buffer.alloc(11 * 1024 * 1024);
    padding.writeUInt32BE(padding.length, 0);
    padding.write("free", 4, "latin1");
    padding.write(String(Date.now()), 8, "latin1");
    const file = path.join(userDataDir, "harbour.mp4");
    fs.writeFileSync(file, Buffer.concat([video, padding]));

    // Every request for part 2 is cut off until the page gives up: Uppy sends the part again a few times, then
    // stops; pressing the button again must resume the same upload, ask the API what arrived, and send only part 2.
    let cutting = true;
    const partOf = (siteUrl: string) => Number(/\/parts\/(\d+)$/.exec(new URL(new URL(siteUrl).searchParams.get("url")!).pathname)![1]);
    // The cut waits until the API has stored parts 1 and 3 (sent alongside), so that they are the ones that arrived
    // however slow the machine.
    const othersStored = Promise.all(
      [1, 3].map((part) =>
        page.waitForResponse((response) => response.url().includes("/api/upload-part") && partOf(response.url()) === part && response.status() === 200, {
          timeout: 0,
        }),
      ),
    );
    othersStored.catch(() => undefined); // (only rejects when the page closes first: a failed test)
    const partRequests: { part: number; cut: boolean }[] = [];
    await page.route("**/api/upload-part**", async (route) => {
      const part = partOf(route.request().url());
      const cut = cutting && part === 2;
      partRequests.push({ part, cut });
      if (!cut) return route.continue();
      await othersStored;
      return route.abort("connectionreset");
    });
    const pageRequests: string[] = [];
    page.on("request", (request) => pageRequests.push(request.url()));
    await page.goto(site.url);
    await page.waitForSelector("#login:not([hidden])");
    await page.fill("[name=clientId]", "demo-venue");
    await page.fill("[name=clientSecret]", "demo-venue-secret");
    await page.click("#login button[type=submit]");
    await page.waitForSelector("#app:not([hidden])");
    await page.waitForSelector("[name=theme] option", { state: "attached" });
    const title = `Harbour at dusk ${Date.now()}`;
    await page.fill("[name=entrantName]", "Rui Matos");
    await page.fill("[name=entrantEmail]", `rui.matos.${Date.now()}@example.org`);
    await page.fill("[name=entrantCountry]", "PT");
    await page.fill("[name=title]", title);
    await page.selectOption("[name=theme]", "EXCHANGES");
    await page.selectOption("[name=kind]", "MICRO_VIDEO");
    await page.setInputFiles("[name=files]", file);
    await page.check("[name=consentToRules]");
    await page.check("[name=declaresNoGenerativeAi]");
    await page.check("[name=consentToPublication]");
    await page.click("#entry button[type=submit]");
    await page.waitForFunction(`/upload stopped/.test(document.querySelector("#message").textContent)`, undefined, { timeout: 90_000 });
    expect(await page.textContent("#message")).toContain("the connection was lost. Press the button again to send the rest");
    // Parts 1 and 3 arrived (their bar stays); part 2 was tried again and again, each time cut.
    const stoppedAt = (await page.evaluate(`document.querySelector("#upload-progress").value`)) as number;
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(100);
    const firstAttempt = partRequests.splice(0);
    expect(
      firstAttempt
        .filter((request) => !request.cut)
        .map((request) => request.part)
        .sort(),
    ).toEqual([1, 3]);
    expect(firstAttempt.filter((request) => request.cut).length).toBeGreaterThan(1);
    expect(pageRequests.filter((url) => url.includes("/api/operations/MediaUpload"))).toEqual([]);
    await shot("venue-site-5-video-stopped");

    cutting = false;
    await page.click("#entry button[type=submit]");
    await page.waitForFunction(`/is SUBMITTED/.test(document.querySelector("#message").textContent)`, undefined, { timeout: 90_000 });
    expect(await page.evaluate(`document.querySelector("#upload-progress").value`)).toBe(100);
    await page.locator("#entries tbody tr", { hasText: title }).waitFor();
    await shot("venue-site-6-video-submitted");
    // The page asked the API which parts it had (Uppy's listParts), once, before it completed the upload (after it,
    // it follows the checks with the same query until the video is attached), then sent only the missing one.
    const completedAt = pageRequests.findIndex((url) => url.includes("/api/operations/CompleteMediaUpload"));
    expect(completedAt).toBeGreaterThan(0);
    expect(pageRequests.slice(0, completedAt).filter((url) => url.includes("/api/operations/MediaUpload"))).toHaveLength(1);
    // Only part 2 went again (Uppy may send it more than once when a loaded machine answers it 503 or 429; that is
    // its retry, not a resend of what arrived).
    expect(partRequests.length).toBeGreaterThan(0);
    expect(partRequests.filter((request) => request.part !== 2 || request.cut)).toEqual([]);
    // Uppy came from this site (its npm package's bundle), like every other request of the page.
    expect(pageRequests).toContain(new URL("vendor/uppy/uppy.min.js", site.url).href);
    expect(pageRequests.filter((url) => !url.startsWith(site.url))).toEqual([]);
    const [row] = await system.dataSources.entries.query(
      `SELECT e.id, e.status, v.byte_size, v.duration_seconds FROM entries.entry e JOIN entries.micro_video v ON v.entry_id = e.id WHERE e.title = $1`,
      [title],
    );
    expect(row).toMatchObject({ status: "SUBMITTED", byte_size: String(fs.statSync(file).size) });
    expect(row.duration_seconds).toBeCloseTo(3, 0);

    // The rendition job (running in the test system) makes the streaming rendition: the venue sees the video READY.
    const token = await venueToken();
    let processed: { status: string; failureReason: string | null } | undefined;
    for (let attempt = 0; attempt < 240 && (!processed || processed.status === "PROCESSING"); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      processed = (await gatewayQuery(`query($id: ID!) { entry(id: $id) { video { status failureReason } } }`, { id: row.id }, token)).data.entry.video;
    }
    expect(processed).toEqual({ status: "READY", failureReason: null });
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it("opens the explorer from the API URL and runs an example query with a pasted token", async () => {
    const origin = new URL(system.gatewayUrl).origin;
    page.on("request", (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith("data:")) foreignRequests.push(request.url());
    });
    const token = await venueToken();

    // A browser opening /graphql lands on the explorer.
    await page.goto(system.gatewayUrl);
    expect(page.url()).toBe(`${origin}/explorer`);
    await page.waitForSelector(".graphiql-container");
    await page.fill("#token", token);
    await shot("explorer-1-loaded");

    // Pick the venue's entries example and run it.
    const option = page.locator("#examples option", { hasText: "List your venue's entries" });
    await page.selectOption("#examples", (await option.getAttribute("value"))!);
    // Locators, not page functions: the explorer's Content-Security-Policy forbids evaluating strings.
    await page.locator(".graphiql-query-editor", { hasText: "VenueEntries" }).waitFor();
    await page.click(".graphiql-execute-button");
    await page.locator(".graphiql-response", { hasText: '"totalCount"' }).waitFor({ timeout: 30_000 });
    const response = (await page.textContent(".graphiql-response")) ?? "";
    expect(response).toContain("China-Portugal Eye");
    expect(response).toContain('"entrant"'); // the pasted venue token was sent: entrants are visible to the venue only
    expect(response).not.toContain('"errors"');
    await shot("explorer-2-query-run");

    // The docs pane shows the schema descriptions.
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector(".graphiql-doc-explorer");
    await shot("explorer-3-docs");
    expect(foreignRequests).toEqual([]); // nothing from a CDN
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
