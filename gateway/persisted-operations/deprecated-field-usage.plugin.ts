// Counts, per client, the deprecated fields, arguments and enum values its operations use, so organisers know whom
// to warn before a removal. The list is computed once per parsed document: Apollo keeps parsed documents in its
// document store and hands the same object back for the same text, so a WeakMap on it is the cache.
import type { ApolloServerPlugin } from "@apollo/server";
import type { DocumentNode } from "graphql";
import type { Viewer } from "../../lib/auth";
import { deprecatedCoordinates } from "../../lib/operation-coordinates";
import { usageClientId, UsageRecorder } from "../usage";

export function deprecatedFieldUsagePlugin(usage: UsageRecorder): ApolloServerPlugin<{ viewer: Viewer | undefined }> {
  const byDocument = new WeakMap<DocumentNode, string[]>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          let coordinates = byDocument.get(document);
          if (!coordinates) byDocument.set(document, (coordinates = deprecatedCoordinates(schema, document)));
          if (coordinates.length) usage.recordDeprecatedFields(usageClientId(contextValue.viewer), coordinates);
        },
      };
    },
  };
}
