// The five themes of the call for entries; every subgraph that mentions a theme uses this one enum.
import { registerEnumType } from "type-graphql";

export enum ThemeCode {
  NATURE = "NATURE",
  FOLK_CULTURE = "FOLK_CULTURE",
  TECHNOLOGY = "TECHNOLOGY",
  EXCHANGES = "EXCHANGES",
  OVERSEAS = "OVERSEAS",
}

registerEnumType(ThemeCode, {
  name: "ThemeCode",
  description: "The five themes of the call for entries.",
  valuesConfig: {
    NATURE: { description: "China's natural beauty and biodiversity." },
    FOLK_CULTURE: { description: "Folk culture and social life." },
    TECHNOLOGY: { description: "Technology changing the future; innovation driving development." },
    EXCHANGES: { description: "Exchanges between China and other countries: culture, sports, education, economy." },
    OVERSEAS: { description: "What is outside China but related to China." },
  },
});

export const THEME_CODES = Object.values(ThemeCode);
