namespace Iqts.Api.Data;

/// <summary>What a read found under a resource that exists (itself possibly nothing: a trainee without a plan, a page past the end).</summary>
public sealed record Found<T>(T Value);
