using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Iqts.Api.Data;

/// <summary>
/// SQLite has no uuid, date or timestamp types: values are stored as fixed-format text
/// (sortable as text). PostgreSQL takes the CLR types natively, so each handler writes
/// text only when the parameter is a SQLite one.
/// </summary>
public static class TypeHandlers
{
    private static int _registered;

    private static readonly GuidHandler Guids = new();
    private static readonly DateOnlyHandler Dates = new();
    private static readonly DateTimeOffsetHandler Timestamps = new();

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        // Columns are snake_case, properties PascalCase: first_names fills FirstNames without an alias in the SQL.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.RemoveTypeMap(typeof(DateOnly));
        SqlMapper.RemoveTypeMap(typeof(DateOnly?));
        SqlMapper.AddTypeHandler(Guids);
        SqlMapper.AddTypeHandler(Dates);
        SqlMapper.AddTypeHandler(Timestamps);
    }

    /// <summary>
    /// <paramref name="value"/> as a SQLite parameter <c>@name</c>, stored as Dapper stores it (<see cref="Bound"/>). For a
    /// command a unit of work runs again without Dapper (<see cref="UnitOfWork.ExecuteAsync"/>).
    /// </summary>
    public static SqliteParameter ForSqlite(string name, object? value) => Bound(new SqliteParameter { ParameterName = "@" + name }, value);

    /// <summary>
    /// <paramref name="value"/> as a positional PostgreSQL parameter, passed as Dapper passes it (<see cref="Bound"/>); a
    /// null has no type, which the statement gives it (<see cref="UnitOfWork.ExecuteAsync"/>).
    /// </summary>
    public static Npgsql.NpgsqlParameter ForPostgres(object? value) => Bound(new Npgsql.NpgsqlParameter(), value);

    /// <summary>
    /// <paramref name="parameter"/> given <paramref name="value"/> as Dapper gives it: through these handlers (text on
    /// SQLite, the native types on PostgreSQL, a timestamp in UTC), an enum as its number, anything else as it is.
    /// </summary>
    private static T Bound<T>(T parameter, object? value)
        where T : DbParameter
    {
        switch (value)
        {
            case null:
                parameter.Value = DBNull.Value;
                break;
            case Guid guid:
                Guids.SetValue(parameter, guid);
                break;
            case DateOnly date:
                Dates.SetValue(parameter, date);
                break;
            case DateTimeOffset at:
                Timestamps.SetValue(parameter, at);
                break;
            case Enum number:
                parameter.Value = Convert.ChangeType(number, number.GetTypeCode(), CultureInfo.InvariantCulture);
                break;
            default:
                parameter.Value = value;
                break;
        }

        return parameter;
    }

    /// <summary>UTC, microsecond precision (PostgreSQL's), fixed width so text order is time order.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("D");
            }
            else
            {
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            _ => throw new DataException($"Cannot read a Guid from {value.GetType().Name}."),
        };
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            else
            {
                parameter.DbType = DbType.Date;
                parameter.Value = value;
            }
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read a date from {value.GetType().Name}."),
        };
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = FormatTimestamp(value);
            }
            else
            {
                parameter.Value = value.ToUniversalTime();
            }
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => throw new DataException($"Cannot read a timestamp from {value.GetType().Name}."),
        };
    }
}
