// How the gateway calls a subgraph: forwards the caller's token, request id and languages.
import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from "@apollo/gateway";
import { REQUEST_ID_HEADER } from "../lib/request-context";
import type { GatewayContext } from "./context";

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http!.headers;
    // Each subgraph verifies the token again; the gateway's check is not trusted blindly.
    if (context.authorization) headers.set("authorization", context.authorization);
    if (context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.acceptLanguage) headers.set("accept-language", context.acceptLanguage);
  }
}
