"""Each received complaint's place in its customer's history, kept in four columns.

The repeat rate (重复投诉率) asks, for a period, how many customers complained and how many of them
complained twice or more on one category. Counted directly that is a DISTINCT over every complaint
of the period; with the history columns it is a filtered count over an index:

- a complaint is its customer's first of the period when the customer's previous complaint was
  received before the period (`customer_previous_at`);
- a customer has two on one category in the period when some complaint's previous one on that
  category is in the period (`category_previous_at`), and exactly one complaint per such customer
  is the first to show it: the one before which no earlier complaint of the customer did
  (`earlier_repeat_started_at`, the latest `category_previous_at` among the earlier ones);
- within one category, a complaint is the second of the period when its previous one on the
  category is in the period and the one before that is not (`category_second_previous_at`).

Receipt times never change, so the columns change only when a complaint of the customer is received;
`confirm_read_back` then recomputes that customer's rows with one statement.
"""

from __future__ import annotations

from django.db import connection

from complaints.models import Complaint

_ORDER = "PARTITION BY customer_id ORDER BY received_at, id"
_ORDER_IN_CATEGORY = "PARTITION BY customer_id, category_id ORDER BY received_at, id"


def recompute_customer_history(customer_ids: list[int] | None = None) -> None:
    """Recomputes the history columns of these customers' complaints (all customers when None)."""
    table = connection.ops.quote_name(Complaint._meta.db_table)
    where, params = "received_at IS NOT NULL", []
    if customer_ids is not None:
        if not customer_ids:
            return
        where += f" AND customer_id IN ({', '.join(['%s'] * len(customer_ids))})"
        params = list(customer_ids)
    sql = f"""
        WITH steps AS (
            SELECT id, customer_id, received_at,
                   LAG(received_at) OVER ({_ORDER}) AS customer_previous_at,
                   LAG(received_at) OVER ({_ORDER_IN_CATEGORY}) AS category_previous_at,
                   LAG(received_at, 2) OVER ({_ORDER_IN_CATEGORY}) AS category_second_previous_at
            FROM {table} WHERE {where}
        ), history AS (
            SELECT id, customer_previous_at, category_previous_at, category_second_previous_at,
                   MAX(category_previous_at) OVER ({_ORDER} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                       AS earlier_repeat_started_at
            FROM steps
        )
        UPDATE {table} SET customer_previous_at = history.customer_previous_at,
                           category_previous_at = history.category_previous_at,
                           category_second_previous_at = history.category_second_previous_at,
                           earlier_repeat_started_at = history.earlier_repeat_started_at
        FROM history WHERE {table}.id = history.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
