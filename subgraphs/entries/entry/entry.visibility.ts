// Kept so existing imports keep working: the rules live in ../entries.visibility.ts, the subgraph's one visibility module.
export * from "../entries.visibility";
