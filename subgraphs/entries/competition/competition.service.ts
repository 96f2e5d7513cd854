// Responsible for the competition record: its themes, its window and its rules.
import { DataSource } from "typeorm";
import { codedError, ErrorCode, notFound } from "../../../lib/errors";
import { ThemeCode } from "../../../lib/themes";
import type { EntriesLoaders } from "../loaders";
import { Competition, Theme } from "./competition.entity";

export class CompetitionService {
  private readonly repository;

  constructor(
    dataSource: DataSource,
    private readonly loaders: EntriesLoaders,
  ) {
    this.repository = dataSource.getRepository(Competition);
  }

  /** The current competition (the most recently created one). */
  async current(): Promise<Competition> {
    const competition = await this.loaders.currentCompetition.load("current");
    if (!competition) throw notFound("Competition");
    return competition;
  }

  async get(id: string): Promise<Competition | undefined> {
    return this.loaders.competition.load(id);
  }

  themes(competition: Competition): Promise<Theme[]> {
    return this.loaders.themesByCompetition.load(competition.id);
  }

  async theme(competitionId: string, code: ThemeCode): Promise<Theme | undefined> {
    return (await this.loaders.themesByCompetition.load(competitionId)).find((theme) => theme.code === code);
  }

  /** Throws DEADLINE_PASSED outside the submission window. */
  assertWindowOpen(competition: Competition, now = new Date()): void {
    const window = { opensAt: competition.submissionOpensAt.toISOString(), closesAt: competition.submissionClosesAt.toISOString() };
    if (now < competition.submissionOpensAt) {
      throw codedError(ErrorCode.DEADLINE_PASSED, `Submissions open at ${window.opensAt}.`, window);
    }
    if (now > competition.submissionClosesAt) {
      throw codedError(ErrorCode.DEADLINE_PASSED, `Submissions closed at ${window.closesAt}.`, window);
    }
  }
}
