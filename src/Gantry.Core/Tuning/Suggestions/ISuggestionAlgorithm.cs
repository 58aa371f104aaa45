namespace Gantry.Core.Tuning.Suggestions;

/// <summary>A search algorithm: a pure function of the request (no clock, no I/O, randomness only from the request's seed).</summary>
public interface ISuggestionAlgorithm
{
    string Name { get; }

    SuggestionResult Suggest(SuggestionRequest request);
}
