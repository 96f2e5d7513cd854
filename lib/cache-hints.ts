// Cache hints for the gateway's response cache (gateway/response-cache), declared where each type or field is defined
// with type-graphql's @Directive and composed into the supergraph (@composeDirective). The gateway computes a public
// answer's lifetime from them as Apollo's cache-control rules do: a root field, or a field returning an object, without
// a hint (on the field or on its type) is never cached; a scalar field without one takes its parent's.

/** The @link under which every subgraph imports @cacheControl, so composition keeps it in the supergraph. */
export const CACHE_CONTROL_SPEC_URL = "https://specs.image-china.invalid/cache-control/v1.0";

/** Apollo's own definition of the directive, as its cache-control plugin and Apollo Router read it. */
export const CACHE_CONTROL_DEFINITIONS = `
"""Who may keep an answer: PUBLIC, shared caches (the gateway's, CDNs); PRIVATE, only the caller's own. Used by @cacheControl."""
enum CacheControlScope {
  """Shared caches may keep the answer."""
  PUBLIC
  """Only the caller's own cache may keep the answer."""
  PRIVATE
}

directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/** Seconds a public answer lives. Events evict it as soon as what it shows changes; the lifetime bounds a missed eviction. */
export const PUBLIC_MAX_AGE_SECONDS = 60;

/** Published exhibitions, their works, public entries, awards and venues: the same for every visitor without a token. */
export const PUBLIC_CACHE = `@cacheControl(maxAge: ${PUBLIC_MAX_AGE_SECONDS})`;

/** Wrappers (connections, edges, page info) that add nothing of their own: they live as long as the field holding them. */
export const INHERIT_CACHE = "@cacheControl(inheritMaxAge: true)";

/** Likes and views change with every visitor and evict nothing: a page that shows them is at most this old. */
export const SHORT_CACHE = "@cacheControl(maxAge: 5)";

/** Answers that depend on who asks (e.g. whether this visitor liked a work): never stored, whatever else the page holds. */
export const NEVER_CACHE = "@cacheControl(maxAge: 0)";
