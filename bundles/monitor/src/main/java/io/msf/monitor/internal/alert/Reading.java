package io.msf.monitor.internal.alert;

/**
 * One figure checked against its limit in a sampling round.
 *
 * @param kind what the figure is
 * @param subject whose figure it is
 * @param value the figure, negative when it is not known this round
 * @param limit its threshold and clear level
 */
public record Reading(AlertKind kind, String subject, double value, Limit limit) {
}
