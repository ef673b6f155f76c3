namespace Iqts.Api.Errors;

/// <summary>A trainee this one may duplicate.</summary>
public sealed record DuplicateMatch(string TraineeId, string ProviderTraineeId);
