package dev.tollgate.core.state;

import dev.tollgate.core.state.memory.InMemoryStateStore;

class InMemoryStateStoreTest extends StateStoreContract {
    @Override
    protected StateStore newStore() {
        return InMemoryStateStore.create();
    }

    @Override
    protected StateStore otherNode(StateStore first) {
        return first;
    }
}
