// The MCP client with DPoP is the one `ward demo agent` uses (server/src/cli/mcp-client.ts).
export { connectMcp, dpopFetch, dpopProof, type DpopKeys, type Send } from '../../src/cli/mcp-client.ts';
