package io.deliverymetrics.api.model;

/**
 * The previous comparable range a response compares with: as long as the range served, ending where
 * it starts, on the same tier.
 *
 * @param start inclusive, ISO-8601
 * @param end exclusive (the served range's start), ISO-8601
 */
public record PreviousRange(String start, String end) {}
