namespace Iqts.Api.Http;

/// <summary>
/// Marks a read of a provider's trainee that the inspectorate inspecting the provider may also make, from the notification
/// to the report (ADR 0011). The provider policy admits an inspectorate token to such a read; the governance feature's
/// filter then finds the open inspection (or none, and the read answers as for an unknown id) and logs the read.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InspectorateReadsAttribute : Attribute;
