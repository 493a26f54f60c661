/*
 * The ATA disk (claim C7 again, with first-party DMA): what the disk says
 * about itself, and the same sectors read by the CPU (PIO) or by the IDE
 * controller as bus master (DMA), with what each cost.
 */
#include "drivers/ahci.h"
#include "drivers/ata.h"
#include "kernel/console.h"
#include "kernel/lib/crc32.h"
#include "kernel/lib/pci_config.h"
#include "kernel/lib/klib.h"
#include "kernel/monitor/monitor.h"

#define DISK_BUFFER (ATA_MAX_READ_SECTORS * ATA_SECTOR_SIZE)
/* The buffer starts on a 64 KiB boundary, so a read of more than 64 KiB
 * (128 sectors) crosses one and needs a second PRD entry
 * (kernel/lib/prd.h): `disk read 0 200 dma` shows prd=2. */
#define DISK_BUFFER_ALIGN 0x10000

static uint8_t disk_buf[DISK_BUFFER]
    __attribute__((aligned(DISK_BUFFER_ALIGN)));

static bool parse_mode(const char *s, enum ata_mode *mode)
{
    if (strcmp(s, ata_mode_name(ATA_MODE_PIO)) == 0)
        *mode = ATA_MODE_PIO;
    else if (strcmp(s, ata_mode_name(ATA_MODE_DMA)) == 0)
        *mode = ATA_MODE_DMA;
    else
        return false;
    return true;
}

/* The disk on an AHCI port (q35), when there is no IDE disk. */
static bool use_ahci(void)
{
    return !ata_present() && ahci_present();
}

static void ahci_info(void)
{
    struct ahci_view v = ahci_view();
    kprintf("disk: AHCI %u.%u HBA %04x:%04x at %02x:%02x.%x, ABAR 0x%08x "
            "(%u bytes, mov), %u ports implemented (PI 0x%08x), %u command "
            "slots\n", v.version_major, v.version_minor, v.vendor,
            v.device, PCI_BDF_BUS(v.bdf), PCI_BDF_DEV(v.bdf),
            PCI_BDF_FN(v.bdf), v.abar, v.abar_size,
            (unsigned)__builtin_popcount(v.ports_implemented),
            v.ports_implemented, v.slots);
    if (!v.disk) {
        monitor_error("disk: %s", ahci_description());
        return;
    }
    kprintf("  port %u: PxSSTS 0x%03x, PxSIG 0x%08x (an ATA disk); model "
            "\"%s\", %llu sectors of %u bytes\n", v.port, v.ssts, v.sig,
            v.model, (unsigned long long)v.sectors, AHCI_SECTOR_SIZE);
    kprintf("  reads: READ DMA EXT through command slot 0; completion by "
            "%s\n", v.completion);
}

static void disk_info(void)
{
    if (use_ahci()) {
        ahci_info();
        return;
    }
    if (!ata_present()) {
        monitor_error("disk: %s", ata_description());
        return;
    }
    const struct ata_identity *id = ata_identity();
    kprintf("disk: primary IDE channel, master (ports 0x%03x-0x%03x, "
            "0x%03x; IRQ %u)\n", ATA_BASE, ATA_LAST, ATA_CONTROL_PORT,
            ATA_IRQ);
    kprintf("  model \"%s\", serial \"%s\", firmware \"%s\"\n", id->model,
            id->serial, id->firmware);
    kprintf("  %u sectors of %u bytes by 28-bit LBA (IDENTIFY words "
            "60-61)\n", id->sectors28, ATA_SECTOR_SIZE);
    if (id->lba48)
        kprintf("  48-bit LBA: supported, %llu sectors (words 100-103); "
                "iospace uses the 28-bit commands\n",
                (unsigned long long)id->sectors48);
    else
        kprintf("  48-bit LBA: not supported (word 83 bit 10)\n");
    kprintf("  DMA: %s (word 49 bit 8)\n",
            id->dma ? "supported" : "not supported");
    kprintf("  bus master: %s\n", ata_dma_text());
}

/* The same read through the AHCI HBA: the CPU programs the DMA with
 * `mov` alone (engine=memory), and there is no PIO path. */
static void ahci_disk_read(uint32_t lba, uint32_t count, bool mode_given,
                           enum ata_mode mode)
{
    struct ahci_stats stats;
    if (mode_given && mode == ATA_MODE_PIO) {
        monitor_error("disk read: pio: this machine's disk controller is "
                      "AHCI, with no IDE-compatible ports to read through "
                      "(use dma)");
        return;
    }
    if (count > ATA_MAX_READ_SECTORS) {
        monitor_error("disk read: COUNT %u: at most %u sectors (the "
                      "buffer's %u bytes)", count, ATA_MAX_READ_SECTORS,
                      DISK_BUFFER);
        return;
    }
    /* Cleared first, as for the IDE read: a DMA that wrote nothing
     * cannot pass for one that did. */
    memset(disk_buf, 0, count * AHCI_SECTOR_SIZE);
    if (ahci_read(lba, count, disk_buf, &stats) != AHCI_OK) {
        monitor_error("disk read: %s", ahci_problem());
        return;
    }
    uint32_t bytes = count * AHCI_SECTOR_SIZE;
    kprintf("disk read lba=%u count=%u mode=%s bytes=%u crc32=0x%08x ", lba,
            count, ata_mode_name(ATA_MODE_DMA), bytes,
            crc32_update(CRC32_INIT, disk_buf, bytes));
    if (stats.cycles)
        kprintf("cycles=%llu", (unsigned long long)stats.cycles);
    else
        kprintf("cycles=n/a");
    kprintf(" in=0 out=0 mov=%u irqs=%u engine=memory prd=%u\n", stats.movs,
            stats.irqs, stats.prds);
}

static void disk_read(int argc, char **argv)
{
    uint32_t lba, count = 1;
    enum ata_mode mode = ATA_MODE_PIO;
    struct ata_stats stats;
    int next = 3;

    if (argc < 3) {
        monitor_error("usage: disk read LBA [COUNT] [pio|dma]");
        return;
    }
    if (!monitor_arg_number("disk read", "LBA", argv[2], UINT32_MAX, &lba))
        return;
    /* COUNT may be left out before the mode: `disk read 5 dma`. */
    if (next < argc && !parse_mode(argv[next], &mode)) {
        if (!monitor_arg_number("disk read", "COUNT", argv[next], UINT32_MAX,
                                &count))
            return;
        next++;
        if (next < argc && !parse_mode(argv[next], &mode)) {
            monitor_error("disk read: mode '%s': must be %s or %s",
                          argv[next], ata_mode_name(ATA_MODE_PIO),
                          ata_mode_name(ATA_MODE_DMA));
            return;
        }
    } else if (next + 1 < argc) {
        monitor_error("usage: disk read LBA [COUNT] [pio|dma]");
        return;
    }
    bool mode_given = next < argc;
    if (use_ahci()) {
        ahci_disk_read(lba, count, mode_given, mode);
        return;
    }

    /* Cleared first, so that bytes an earlier read left cannot pass for
     * this one's (a DMA that wrote nothing would otherwise look fine). */
    if (count <= ATA_MAX_READ_SECTORS)
        memset(disk_buf, 0, count * ATA_SECTOR_SIZE);
    enum ata_status st = ata_read(lba, count, mode, disk_buf, &stats);
    if (st != ATA_OK) {
        monitor_error("disk read: %s", ata_problem());
        return;
    }
    uint32_t bytes = count * ATA_SECTOR_SIZE;
    kprintf("disk read lba=%u count=%u mode=%s bytes=%u crc32=0x%08x ", lba,
            count, ata_mode_name(mode), bytes,
            crc32_update(CRC32_INIT, disk_buf, bytes));
    if (stats.cycles)
        kprintf("cycles=%llu", (unsigned long long)stats.cycles);
    else
        kprintf("cycles=n/a");
    kprintf(" in=%u out=%u mov=%u irqs=%u engine=%s prd=%u\n", stats.ins,
            stats.outs, stats.movs, stats.irqs,
            mode == ATA_MODE_DMA ? "ports" : "none", stats.prds);
}

static void cmd_disk(int argc, char **argv)
{
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "info") == 0))
        disk_info();
    else if (strcmp(argv[1], "read") == 0)
        disk_read(argc, argv);
    else
        monitor_error("usage: disk [info], or disk read LBA [COUNT] "
                      "[pio|dma]");
}

const struct command disk_commands[] = {
    { "disk", "[info|read LBA [COUNT] [pio|dma]]",
      "the ATA disk: what it is; read sectors by PIO or bus-master DMA; CRC, "
      "cycles, in/out", 1, 5, cmd_disk },
    { 0, 0, 0, 0, 0, 0 },
};
