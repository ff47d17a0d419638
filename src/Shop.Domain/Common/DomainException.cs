namespace Shop.Domain.Common;

/// <summary>A domain rule was broken. Validators catch bad input first; this is the last line of defence.</summary>
public sealed class DomainException(string message) : Exception(message);
