namespace Iqts.Api.Data;

/// <summary>Which engine stores the data: <c>Database:Provider</c> and <c>ConnectionStrings:Iqts</c>.</summary>
public sealed record DatabaseOptions(DatabaseEngine Engine, string ConnectionString)
{
    public const string DefaultSqlite = "Data Source=data/iqts.db";

    public static DatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] ?? "sqlite";
        var connectionString = configuration.GetConnectionString("Iqts");
        return provider.ToLowerInvariant() switch
        {
            "sqlite" => new(DatabaseEngine.Sqlite, string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString),
            "postgres" or "postgresql" => new(DatabaseEngine.Postgres, string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("Database:Provider is 'postgres' but ConnectionStrings:Iqts is empty.")
                : connectionString),
            _ => throw new InvalidOperationException($"Database:Provider must be 'sqlite' or 'postgres', not '{provider}'."),
        };
    }
}

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}
