namespace Gantry.Core.Validation;

/// <summary>
/// Collects every problem with an input, keyed by the path of the field at fault
/// ("manifest.spec.driver.cores"), so a caller learns all of them at once.
/// </summary>
public sealed class ValidationErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>How many fields have a problem.</summary>
    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Throws a <see cref="Errors.ValidationException"/> when anything was added.</summary>
    public void ThrowIfAny(string title = "The request has invalid fields.")
    {
        if (!IsEmpty)
        {
            throw new Errors.ValidationException(title, ToDictionary());
        }
    }
}
