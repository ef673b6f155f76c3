namespace Iqts.Api.Tests.Infrastructure;

/// <summary>A test of something only PostgreSQL has (its plan cache): skipped, and reported so, when the suite runs on SQLite.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.OnPostgres)
        {
            Skip = $"PostgreSQL only: set {TestDatabase.PostgresVariable}.";
        }
    }
}
