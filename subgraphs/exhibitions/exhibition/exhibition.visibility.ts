// Kept so existing imports keep working: the rules live in ../exhibitions.visibility.ts, the subgraph's one visibility module.
export * from "../exhibitions.visibility";
