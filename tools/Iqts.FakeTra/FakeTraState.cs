namespace Iqts.FakeTra;

/// <summary>One request the fake answered: what it was about and how it was answered.</summary>
/// <param name="Method">POST, GET or PUT.</param>
/// <param name="Key">The TRN request's requestId, or the route's <c>{trn}/{reference}</c>; the path when the fake was down or limiting.</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="RouteStatus">For a route PUT: the status it carried.</param>
public sealed record Exchange(string Method, string Key, int Status, string? RouteStatus);

/// <param name="Closed">Rejected or Dormant: a request TRS will not complete (shown from 20260416; a 400 with 10062 before).</param>
public sealed record TrnRequestRecord(string RequestId, string LastName, string? Trn, bool PotentialDuplicate, int PollsLeft, string? Closed = null);

public sealed record RouteRecord(string Trn, string Reference, string Status, DateOnly? HoldsFrom, string? TrainingCountryReference, int Puts);

/// <summary>
/// What the fake TRS holds and how it is switched: down (503), slow, answering 429 with Retry-After, and how many reads a
/// TRN request stays Pending. Shared by the HTTP handlers and the tests, behind one lock.
/// </summary>
public sealed class FakeTraState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TrnRequestRecord> _requests = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RouteRecord> _routes = new(StringComparer.Ordinal);
    private readonly List<Exchange> _exchanges = [];
    private int _nextTrn = 3_000_001;
    private int _tooManyRequests;

    /// <summary>The webhooks this fake TRS sends, and the key it signs them with.</summary>
    public FakeTraWebhooks Webhooks { get; } = new();

    /// <summary>The bearer key the fake accepts.</summary>
    public string ApiKey { get; set; } = "fake-tra-key";

    /// <summary>The W3C <c>traceparent</c> of every request that carried one: the callers' traces, as TRS would see them.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Traceparents { get; } = new();

    /// <summary>Every TRS route answers 503.</summary>
    public bool Down { get; set; }

    /// <summary>Every TRS route waits this long first.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Seconds sent in Retry-After with a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How many reads of a new TRN request answer Pending before it is Completed (0: the POST completes it).</summary>
    public int PendingPolls { get; set; } = 1;

    /// <summary>A person with this last name is a potential duplicate: Pending until <see cref="Resolve"/>.</summary>
    public string DuplicateLastName { get; set; } = "Duplicate";

    /// <summary>The next <paramref name="count"/> requests answer 429.</summary>
    public void AnswerTooManyRequests(int count)
    {
        lock (_gate)
        {
            _tooManyRequests = count;
        }
    }

    /// <summary>How many of the 429s set by <see cref="AnswerTooManyRequests"/> are still to be answered.</summary>
    public int TakeTooManyRequestsLeft()
    {
        lock (_gate)
        {
            return _tooManyRequests;
        }
    }

    internal bool TakeTooManyRequests()
    {
        lock (_gate)
        {
            if (_tooManyRequests <= 0)
            {
                return false;
            }

            _tooManyRequests--;
            return true;
        }
    }

    /// <summary>Creates a TRN request; false when the requestId is taken (TRS: 409 with 10029). A test calls it for a request TRS already has.</summary>
    public bool TryCreate(string requestId, string lastName, out TrnRequestRecord record)
    {
        lock (_gate)
        {
            if (_requests.TryGetValue(requestId, out record!))
            {
                return false;
            }

            var duplicate = string.Equals(lastName, DuplicateLastName, StringComparison.OrdinalIgnoreCase);
            record = new TrnRequestRecord(requestId, lastName, null, duplicate, duplicate ? int.MaxValue : PendingPolls);
            record = record.PollsLeft == 0 ? Complete(record) : record;
            _requests[requestId] = record;
            return true;
        }
    }

    /// <summary>Reads a TRN request, which counts down its Pending reads; null when there is none (10031).</summary>
    internal TrnRequestRecord? Read(string requestId)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(requestId, out var record))
            {
                return null;
            }

            if (record.Trn is null && !record.PotentialDuplicate && record.Closed is null)
            {
                record = record with { PollsLeft = record.PollsLeft - 1 };
                record = record.PollsLeft <= 0 ? Complete(record) : record;
                _requests[requestId] = record;
            }

            return record;
        }
    }

    /// <summary>TRS's support team resolves a potential duplicate: the request is Completed with a new TRN.</summary>
    public bool Resolve(string requestId)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(requestId, out var record) || record.Trn is not null)
            {
                return false;
            }

            _requests[requestId] = Complete(record with { PotentialDuplicate = false });
            return true;
        }
    }

    /// <summary>TRS completes a pending request now (as it does, then tells webhook endpoints); its TRN, or null when there is no pending request.</summary>
    public string? CompleteNow(string requestId)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(requestId, out var record) || record.Trn is not null || record.Closed is not null)
            {
                return null;
            }

            record = Complete(record with { PotentialDuplicate = false });
            _requests[requestId] = record;
            return record.Trn;
        }
    }

    /// <summary>TRS closes a pending request without a TRN: <c>Rejected</c> or <c>Dormant</c>.</summary>
    public bool Close(string requestId, string status)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(requestId, out var record) || record.Trn is not null)
            {
                return false;
            }

            _requests[requestId] = record with { Closed = status };
            return true;
        }
    }

    private TrnRequestRecord Complete(TrnRequestRecord record) =>
        record with { Trn = (_nextTrn++).ToString(System.Globalization.CultureInfo.InvariantCulture), PollsLeft = 0 };

    private readonly HashSet<string> _persons = [];

    /// <summary>A person TRS holds already (a teacher with a TRN from before iQTS), as a provider registering with a known TRN expects.</summary>
    public void AddPerson(string trn)
    {
        lock (_gate)
        {
            _persons.Add(trn);
        }
    }

    internal bool PersonExists(string trn)
    {
        lock (_gate)
        {
            return _persons.Contains(trn) || _requests.Values.Any(r => r.Trn == trn);
        }
    }

    /// <summary>
    /// Sets a route after TRS's checks on the existing one: 10052 once it holds, 10056 from Withdrawn to Deferred, 10055
    /// from Failed back into training. Returns the errorCode, or null when it was set.
    /// </summary>
    internal int? SetRoute(string trn, string reference, string status, DateOnly? holdsFrom, string? country)
    {
        lock (_gate)
        {
            var key = $"{trn}/{reference}";
            if (_routes.TryGetValue(key, out var existing))
            {
                if (existing.Status == "Holds")
                {
                    return 10052;
                }

                if (existing.Status == "Withdrawn" && status == "Deferred")
                {
                    return 10056;
                }

                if (existing.Status == "Failed" && status is "Deferred" or "InTraining" or "UnderAssessment")
                {
                    return 10055;
                }
            }

            _routes[key] = new RouteRecord(trn, reference, status, holdsFrom, country, (existing?.Puts ?? 0) + 1);
            return null;
        }
    }

    internal void Record(Exchange exchange)
    {
        lock (_gate)
        {
            _exchanges.Add(exchange);
        }
    }

    public IReadOnlyList<Exchange> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _exchanges];
            }
        }
    }

    public IReadOnlyList<TrnRequestRecord> TrnRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.Values];
            }
        }
    }

    public IReadOnlyList<RouteRecord> Routes
    {
        get
        {
            lock (_gate)
            {
                return [.. _routes.Values];
            }
        }
    }
}
