/**
 * The industries' indicator catalogues (domain/indicators): what each industry offers, that every entry's
 * source is a clause found in the seed's text, that only a cited standard gives a figure, and how a pick is
 * judged. Pure: no servers.
 */
import {
  CATALOGUE_INDUSTRIES,
  INDICATOR_CATALOGUES,
  REPORTING_INTERVAL,
  catalogueIndicator,
  citationFoundIn,
  draftIndicator,
  indicatorsOf,
  isStandardCitation,
  seedCitationsOf,
  validateIndicatorChoice,
  type CatalogueIndicator,
  type SeedCitation,
} from '../../domain/indicators';
import { INDICATOR_KINDS } from '../../models/masterData';
import { seedText } from '../helpers/seeds';

const all: CatalogueIndicator[] = CATALOGUE_INDUSTRIES.flatMap((i) => INDICATOR_CATALOGUES[i].indicators);

describe('indicator catalogues', () => {
  test('each industry offers its indicators: 10 dust-explosion, 16 hazardous-chemical, 4 steel, 7 aluminium-casting', () => {
    expect(indicatorsOf('dust_explosion')).toHaveLength(10);
    expect(indicatorsOf('hazardous_chemicals')).toHaveLength(16);
    expect(indicatorsOf('steel')).toHaveLength(4);
    expect(indicatorsOf('aluminium_casting')).toHaveLength(7);
    expect(indicatorsOf('construction')).toEqual([]);
  });

  test('the dust-removal system sensing data of 001 附件 二（一）1 are all there, by name', () => {
    const names = indicatorsOf('dust_explosion').map((i) => i.zh);
    expect(names).toEqual(
      expect.arrayContaining(['灰斗内部温度', '进出口风压差', '锁气卸灰故障信号', '水箱水位', '水循环管路水流量']),
    );
    const lockAir = catalogueIndicator('dust.lock_air_unloading_fault')!;
    expect(lockAir.signal).toBe('fault');
    expect(lockAir.source).toEqual({
      seed: '001',
      clause: '附件 二（一）1',
      marker: '1.动态监测监控数据。',
      quote: '锁气卸灰故障信号',
    });
  });

  test('codes are unique and carry their group; kinds are master data’s indicator kinds', () => {
    const codes = all.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    const prefix: Record<string, string> = {
      dust_explosion: 'dust.',
      hazardous_chemicals: 'chem.',
      steel: 'steel.',
      aluminium_casting: 'alu.',
    };
    for (const industry of CATALOGUE_INDUSTRIES)
      for (const i of INDICATOR_CATALOGUES[industry].indicators) expect(i.code.startsWith(prefix[industry])).toBe(true);
    for (const i of all) expect(INDICATOR_KINDS).toContain(i.kind);
  });

  test('every citation is a clause that exists in the seed text (marker, then the quote inside the clause)', () => {
    const citations: SeedCitation[] = [REPORTING_INTERVAL.source];
    for (const industry of CATALOGUE_INDUSTRIES) citations.push(INDICATOR_CATALOGUES[industry].scope);
    for (const i of all) {
      citations.push(...seedCitationsOf(i.source));
      for (const t of Object.values(i.thresholds ?? {}))
        if (t.setBy === 'standard') citations.push(...seedCitationsOf(t.source));
    }
    const texts = new Map<string, string>();
    const missing = citations.filter((c) => {
      if (!texts.has(c.seed)) texts.set(c.seed, seedText(c.seed));
      const text = texts.get(c.seed)!;
      return !(text.includes(c.marker) && citationFoundIn(text, c));
    });
    expect(missing).toEqual([]);
    expect(citations.length).toBeGreaterThan(40);
  });

  test('the check refuses a misquote, and a real quote under a far-away marker', () => {
    const text = seedText('001');
    expect(
      citationFoundIn(text, {
        seed: '001',
        clause: '附件 二（一）1',
        marker: '1.动态监测监控数据。',
        quote: '干式除尘器灰斗内部温度',
      }),
    ).toBe(true);
    expect(
      citationFoundIn(text, {
        seed: '001',
        clause: '附件 二（一）1',
        marker: '1.动态监测监控数据。',
        quote: '干式除尘器灰斗外部温度',
      }),
    ).toBe(false);
    expect(
      citationFoundIn(text, { seed: '001', clause: '一', marker: '一、工作目标', quote: '干式除尘器灰斗内部温度' }),
    ).toBe(false);
  });

  test('a standard is cited through the seed sentence that names it (or the hazard rectification it spells out)', () => {
    for (const i of all) {
      const sources = [
        i.source,
        ...Object.values(i.thresholds ?? {}).flatMap((t) => (t.setBy === 'standard' ? [t.source] : [])),
      ];
      for (const s of sources) {
        if (!isStandardCitation(s)) continue;
        const quote = s.via.quote.replace(/\s/g, '');
        const named =
          s.standard === 'GB/T 50493-2019'
            ? 'GB/T50493-2019'
            : s.standard === 'GB 15577-2018'
              ? 'GB15577-2018'
              : '应急管理部令第10号';
        expect(quote.includes(named) || (named === '应急管理部令第10号' && quote.includes('粉尘涉爆隐患整改'))).toBe(
          true,
        );
      }
    }
  });

  test('only GB/T 50493-2019 (named by 002 附件2 三（二）1）) gives figures: flammable gas alarms at most 25 and 50 %LEL', () => {
    const given = all.flatMap((i) =>
      Object.entries(i.thresholds ?? {}).flatMap(([field, t]) =>
        t.setBy === 'standard'
          ? [{ code: i.code, field, value: t.value, clause: `${t.source.standard} ${t.source.clause}` }]
          : [],
      ),
    );
    expect(given).toEqual(
      ['chem.warehouse_flammable_gas', 'chem.plant_flammable_gas', 'chem.loading_flammable_gas'].flatMap((code) => [
        { code, field: 'alarmHigh', value: 25, clause: 'GB/T 50493-2019 5.5.2（报警值设定）' },
        { code, field: 'alarmHighHigh', value: 50, clause: 'GB/T 50493-2019 5.5.2（报警值设定）' },
      ]),
    );
    const plant = catalogueIndicator('chem.plant_flammable_gas')!;
    expect(plant.unit).toBe('%LEL');
    expect(plant.range).toEqual({ setBy: 'unit', min: 0, max: 100 });
  });

  test('every other threshold is set by the enterprise; casting and dust thresholds all are', () => {
    for (const i of [
      ...indicatorsOf('dust_explosion'),
      ...indicatorsOf('steel'),
      ...indicatorsOf('aluminium_casting'),
    ]) {
      for (const t of Object.values(i.thresholds ?? {})) expect(t.setBy).toBe('enterprise');
      if (i.signal === 'value') expect(i.range).toEqual({ setBy: 'enterprise' });
    }
    expect(catalogueIndicator('chem.plant_toxic_gas')!.thresholds!.alarmHigh).toMatchObject({
      setBy: 'enterprise',
      note: { zh: expect.stringContaining('一级报警≤100%OEL，二级报警≤200%OEL') },
    });
  });

  test('a value indicator has thresholds on its breaching side; a fault or on/off alarm is a status with neither unit nor thresholds', () => {
    for (const i of all) {
      if (i.signal === 'value') {
        expect(i.breaches).toBeDefined();
        if (i.breaches !== 'low') expect(i.thresholds?.alarmHigh).toBeDefined();
        if (i.breaches !== 'high') expect(i.thresholds?.alarmLow).toBeDefined();
      } else {
        expect([i.unit, i.thresholds, i.range, i.breaches]).toEqual([undefined, undefined, undefined, undefined]);
      }
    }
    const faults = all.filter((i) => i.signal === 'fault').map((i) => i.code);
    expect(faults).toEqual([
      'dust.lock_air_unloading_fault',
      'dust.spark_extinguishing_fault',
      'dust.explosion_venting_fault',
      'dust.explosion_suppression_fault',
      'dust.explosion_isolation_fault',
      'chem.safety_instrumented_system_fault',
      'steel.cooling_interlock_fault',
      'alu.cooling_interlock_fault',
      'alu.tilting_furnace_interlock_fault',
      'alu.quick_shutoff_valve_fault',
    ]);
  });

  test('the reporting interval is 300 s, 10 s in alarm (002 附件2 三（二）3）)', () => {
    expect([REPORTING_INTERVAL.normalSec, REPORTING_INTERVAL.inAlarmSec, REPORTING_INTERVAL.source.clause]).toEqual([
      300,
      10,
      '附件2 三（二）3）',
    ]);
  });
});

describe('picking an indicator from the catalogue', () => {
  test('a pick within the catalogue and the standard’s ceilings is accepted', () => {
    expect(
      validateIndicatorChoice('hazardous_chemicals', {
        catalogueCode: 'chem.plant_flammable_gas',
        unit: '%LEL',
        alarmHigh: 20,
        alarmHighHigh: 40,
        rangeMin: 0,
        rangeMax: 100,
      }),
    ).toEqual([]);
    expect(
      validateIndicatorChoice('dust_explosion', {
        catalogueCode: 'dust.hopper_temperature',
        unit: '℃',
        alarmHigh: 70,
        alarmHighHigh: 85,
      }),
    ).toEqual([]);
    expect(validateIndicatorChoice('steel', { catalogueCode: 'steel.cooling_interlock_fault' })).toEqual([]);
  });

  test('an entry of another industry, or an industry without a catalogue, is refused naming catalogueCode', () => {
    expect(validateIndicatorChoice('dust_explosion', { catalogueCode: 'steel.gas_co_concentration' })).toEqual([
      { field: 'catalogueCode', message: '"steel.gas_co_concentration" is not in the 粉尘涉爆 catalogue (version 1)' },
    ]);
    expect(validateIndicatorChoice('construction', { catalogueCode: 'dust.hopper_temperature' })).toEqual([
      { field: 'catalogueCode', message: 'industry construction has no indicator catalogue: type the indicator' },
    ]);
  });

  test('a flammable-gas alarm above 25 %LEL is refused naming alarmHigh and GB/T 50493-2019', () => {
    expect(
      validateIndicatorChoice('hazardous_chemicals', {
        catalogueCode: 'chem.plant_flammable_gas',
        alarmHigh: 30,
        alarmHighHigh: 50,
      }),
    ).toEqual([
      {
        field: 'alarmHigh',
        message:
          'alarmHigh must be at most 25 %LEL (GB/T 50493-2019 5.5.2（报警值设定）: 可燃气体的一级报警设定值应小于或等于25%LEL)',
      },
    ]);
  });

  test('another unit, or a range beyond the unit, is refused naming the field', () => {
    expect(
      validateIndicatorChoice('hazardous_chemicals', {
        catalogueCode: 'chem.loading_flammable_gas',
        unit: 'ppm',
        rangeMax: 120,
      }),
    ).toEqual([
      { field: 'unit', message: '装卸区可燃气体浓度 is reported in %LEL' },
      { field: 'rangeMax', message: 'rangeMax must not be above 100 %LEL' },
    ]);
  });

  test('a fault takes no thresholds: it is a status, not a value', () => {
    expect(
      validateIndicatorChoice('aluminium_casting', {
        catalogueCode: 'alu.tilting_furnace_interlock_fault',
        alarmHigh: 1,
      }),
    ).toEqual([
      { field: 'alarmHigh', message: '倾动式浇铸炉联锁故障 is a fault status, not a value: it takes no alarmHigh' },
    ]);
  });

  test('a draft carries only the figures a source gives and lists what the enterprise still sets', () => {
    expect(draftIndicator(catalogueIndicator('chem.plant_flammable_gas')!)).toEqual({
      catalogueCode: 'chem.plant_flammable_gas',
      catalogueVersion: 1,
      code: 'plant_flammable_gas',
      name: '厂区可燃气体浓度',
      nameEn: 'Plant flammable gas',
      kind: 'gas',
      signal: 'value',
      unit: '%LEL',
      intervalSec: 300,
      alarmHigh: 25,
      alarmHighHigh: 50,
      rangeMin: 0,
      rangeMax: 100,
      enterpriseSets: [],
    });
    const flow = draftIndicator(catalogueIndicator('alu.mould_cooling_inlet_flow')!);
    expect(flow).toMatchObject({
      code: 'mould_cooling_inlet_flow',
      kind: 'flow',
      unit: 'm³/h',
      intervalSec: 300,
      enterpriseSets: ['alarmLowLow', 'alarmLow', 'rangeMin', 'rangeMax'],
    });
    expect(flow.alarmLow).toBeUndefined();
    expect(draftIndicator(catalogueIndicator('chem.process_key_parameter')!).enterpriseSets).toEqual([
      'unit',
      'alarmLowLow',
      'alarmLow',
      'alarmHigh',
      'alarmHighHigh',
      'rangeMin',
      'rangeMax',
    ]);
  });

  test('a fault entry drafts an indicator of master data’s kind fault (ingestion reads it as a status, not a value)', () => {
    expect(INDICATOR_KINDS).toContain('fault');
    const lockAir = draftIndicator(catalogueIndicator('dust.lock_air_unloading_fault')!);
    expect(lockAir).toMatchObject({ kind: 'fault', signal: 'fault', unit: '', enterpriseSets: [] });
    // An on/off alarm contact is not a fault: it keeps its kind.
    expect(draftIndicator(catalogueIndicator('chem.loading_overfill')!).kind).not.toBe('fault');
  });
});
