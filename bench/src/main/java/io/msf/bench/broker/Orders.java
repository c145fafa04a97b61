package io.msf.bench.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders in which to measure {@code n} states round after round so that neither a state's position in
 * the round nor the state measured just before it favours one state: a Williams design (a balanced Latin
 * square). Each order holds every state once; over the whole set every state is in every position equally
 * often and follows every other state equally often — n orders for an even n, 2n for an odd n.
 */
final class Orders {

    private Orders() {
    }

    /** The orders, as indexes 0..n-1 of the states. */
    static List<int[]> williams(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("no states to order: " + n);
        }
        // first row 0, 1, n-1, 2, n-2, ...; row i adds i to each (mod n)
        int[] first = new int[n];
        for (int k = 1, low = 1, high = n - 1; k < n; k++) {
            first[k] = k % 2 == 1 ? low++ : high--;
        }
        List<int[]> orders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] row = new int[n];
            for (int k = 0; k < n; k++) {
                row[k] = (first[k] + i) % n;
            }
            orders.add(row);
        }
        if (n % 2 == 1) {
            for (int i = 0; i < n; i++) {
                int[] row = orders.get(i);
                int[] reversed = new int[n];
                for (int k = 0; k < n; k++) {
                    reversed[k] = row[n - 1 - k];
                }
                orders.add(reversed);
            }
        }
        return orders;
    }
}
