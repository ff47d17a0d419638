namespace Shop.Application.Common;

/// <summary>
/// Marks a request anyone may send, without a token (public catalogue reads, page views). Explicit on purpose: every
/// request declares exactly one of <see cref="IAdminRequest"/>, <see cref="IUserScopedRequest"/> or this (an
/// architecture test checks it), so a new request cannot be public by omission.
/// </summary>
public interface IPublicRequest;
