/* The MSI message format (kernel/lib/msi.h). */
#include "kernel/lib/msi.h"

/* The delivery modes of bits 10-8 (11.11.2). */
static const char *const delivery_names[] = {
    "fixed", "lowest priority", "SMI", "reserved", "NMI", "INIT",
    "reserved", "ExtINT",
};

uint32_t msi_address(uint8_t dest_apic_id)
{
    return MSI_ADDRESS_BASE | (uint32_t)dest_apic_id << MSI_ADDRESS_DEST_SHIFT;
}

uint16_t msi_data(uint8_t vector)
{
    /* Fixed delivery is 000: an OR of zero, written to name the mode. */
    /* cppcheck-suppress badBitmaskCheck */
    return (uint16_t)(vector | MSI_DELIVERY_FIXED << MSI_DATA_DELIVERY_SHIFT);
}

struct msi_view msi_decode(uint32_t address, uint32_t data)
{
    uint8_t delivery = (uint8_t)(data >> MSI_DATA_DELIVERY_SHIFT
                                 & MSI_DATA_DELIVERY_MASK);
    uint16_t top = (uint16_t)(address >> MSI_ADDRESS_BASE_SHIFT);
    return (struct msi_view){
        .top = top,
        .to_lapic = top == MSI_ADDRESS_BASE >> MSI_ADDRESS_BASE_SHIFT,
        .dest = (uint8_t)(address >> MSI_ADDRESS_DEST_SHIFT
                          & MSI_ADDRESS_DEST_MASK),
        .redirection_hint = (address & MSI_ADDRESS_RH) != 0,
        .logical = (address & MSI_ADDRESS_DM_LOGICAL) != 0,
        .vector = (uint8_t)(data & MSI_DATA_VECTOR_MASK),
        .delivery = delivery,
        .delivery_name = delivery_names[delivery],
        .level_triggered = (data & MSI_DATA_TRIGGER_LEVEL) != 0,
        .level_assert = (data & MSI_DATA_LEVEL_ASSERT) != 0,
    };
}
